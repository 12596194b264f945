import type { Request, Response } from 'express';

const LOCALS_KEY = 'ruleshiftAuditJobId';

/** The job a call acted on: the body's jobId, or the one its handler answered (install). */
export function auditedJobIdOf(request: Request, response: Response): string | null {
  const fromResponse: unknown = response.locals[LOCALS_KEY];
  if (typeof fromResponse === 'string') return fromResponse;
  const fromBody: unknown = (request.body as { jobId?: unknown } | undefined)?.jobId;
  return typeof fromBody === 'string' ? fromBody : null;
}

export function rememberAuditedJobId(response: Response, jobId: unknown): void {
  if (typeof jobId === 'string') response.locals[LOCALS_KEY] = jobId;
}
