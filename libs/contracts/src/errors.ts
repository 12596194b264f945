/**
 * One error vocabulary for every component. The adapter throws these, they cross the
 * proxy<->adapter channel as plain JSON (`toJSON`), and the proxy maps `code` to an HTTP status.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RUNTIME_UNAVAILABLE'
  | 'RUNTIME_ERROR'
  | 'INTERNAL'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TOO_MANY_REQUESTS'
  | 'OPERATION_PENDING';

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RUNTIME_UNAVAILABLE: 503,
  RUNTIME_ERROR: 502,
  INTERNAL: 500,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TOO_MANY_REQUESTS: 429,
  OPERATION_PENDING: 202,
};

export interface FieldError {
  /** Dotted path in the request body, e.g. `headers.runtime` or `jobProps.threshold`. */
  field: string;
  reason: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  errors: FieldError[];
}

export class RuleshiftError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): ErrorBody {
    return { code: this.code, message: this.message, errors: this.errors };
  }

  static fromJSON(body: ErrorBody): RuleshiftError {
    return new RuleshiftError(body.code, body.message, body.errors ?? []);
  }

  static isErrorBody(value: unknown): value is ErrorBody {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as ErrorBody).code === 'string' &&
      (value as ErrorBody).code in HTTP_STATUS_BY_CODE &&
      typeof (value as ErrorBody).message === 'string'
    );
  }
}

export class ValidationFailed extends RuleshiftError {
  constructor(errors: FieldError[]) {
    super('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors);
  }
}

export class NotFound extends RuleshiftError {
  constructor(field: string, reason: string) {
    super('NOT_FOUND', `${field}: ${reason}`, [{ field, reason }]);
  }
}

export class Conflict extends RuleshiftError {
  constructor(field: string, reason: string) {
    super('CONFLICT', `${field}: ${reason}`, [{ field, reason }]);
  }
}

export class RuntimeUnavailable extends RuleshiftError {
  constructor(field: string, reason: string) {
    super('RUNTIME_UNAVAILABLE', `${field}: ${reason}`, [{ field, reason }]);
  }
}

/** 401: no bearer token, or one that no verifier accepts (unknown, revoked, expired, bad JWT). */
export class Unauthenticated extends RuleshiftError {
  constructor(reason: string) {
    super('UNAUTHENTICATED', `headers.authorization: ${reason}`, [
      { field: 'headers.authorization', reason },
    ]);
  }
}

/** 403: a valid token whose role is below what the route needs. */
export class Forbidden extends RuleshiftError {
  constructor(reason: string) {
    super('FORBIDDEN', `headers.authorization: ${reason}`, [
      { field: 'headers.authorization', reason },
    ]);
  }
}

/** 429: too many failed authentications from one client address. */
export class TooManyRequests extends RuleshiftError {
  constructor(
    reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super('TOO_MANY_REQUESTS', `headers.authorization: ${reason}`, [
      { field: 'headers.authorization', reason },
    ]);
  }
}

/**
 * Not a failure: the operation was accepted and is still running past the caller's deadline
 * (HTTP 202). The job shows it as `pendingOperation` until it ends.
 */
export class OperationPending extends RuleshiftError {
  constructor(operation: string, jobId: string | undefined) {
    const where = jobId
      ? `job ${jobId} is held by it; GET /api/jobs/${jobId} shows pendingOperation until it ends`
      : 'GET /api/jobs shows the new job once it is installed';
    super('OPERATION_PENDING', `${operation} is still running: ${where}`, [
      { field: jobId ? 'jobId' : 'headers', reason: `${operation} still running` },
    ]);
  }
}
