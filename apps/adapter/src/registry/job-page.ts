import { ValidationFailed } from '@ruleshift/contracts';

/** Paging of job lists: newest-last by (createdAt, id), resumed after an opaque cursor. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 500;

export interface PageRequest {
  limit: number;
  /** Position after which the page starts (decoded from the client's cursor). */
  after?: JobPosition;
}

export interface JobPosition {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Position of the last item when more may follow; undefined on the last page. */
  next?: JobPosition;
}

export function encodeCursor(position: JobPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString(
    'base64url',
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string, field = 'cursor'): JobPosition {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (rest.length || !id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new ValidationFailed([{ field, reason: 'is not a cursor this API returned' }]);
  }
  return { createdAt, id };
}

export function pageRequest(request: { limit?: unknown; cursor?: unknown }): PageRequest {
  const { limit = DEFAULT_PAGE_LIMIT, cursor } = request;
  if (
    typeof limit !== 'number' ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > MAX_PAGE_LIMIT
  ) {
    throw new ValidationFailed([
      { field: 'limit', reason: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` },
    ]);
  }
  if (cursor !== undefined && typeof cursor !== 'string') {
    throw new ValidationFailed([{ field: 'cursor', reason: 'must be a string' }]);
  }
  return { limit, after: cursor ? decodeCursor(cursor) : undefined };
}
