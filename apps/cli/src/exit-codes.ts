import { ApiFailure, OperationFailed, ServerUnreachable, UsageError } from './api/api-failure';

/**
 * Exit codes scripts can rely on. 401, 403 and 429 get their own code (6): a script told
 * "usage" would look for a typo, one told "server error" would retry, and neither helps with a
 * missing, wrong or under-privileged token.
 */
export const EXIT = {
  OK: 0,
  /** A bug of the CLI itself (an unexpected exception). */
  INTERNAL: 1,
  /** The command line or the document it names is wrong (the API's 400, 413 included). */
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  /** The server or a runtime failed, or could not be reached; the rule ended FAILED. */
  SERVER: 5,
  /** No token, a token the server refuses, a role too low, or too many failed attempts. */
  NOT_ALLOWED: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403 || status === 429) return EXIT.NOT_ALLOWED;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409) return EXIT.CONFLICT;
  if (status >= 400 && status < 500) return EXIT.USAGE;
  return EXIT.SERVER;
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof ApiFailure) return exitCodeForStatus(error.status);
  if (error instanceof ServerUnreachable || error instanceof OperationFailed) return EXIT.SERVER;
  return EXIT.INTERNAL;
}

/**
 * One line for a human: what failed and, when the API named fields, each field with its
 * reason (`jobProps.condition: must be one of >, >=, =, <, <=`).
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) {
    const fields = error.errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
    const what = fields || error.message;
    const hint =
      error.status === 401
        ? ' (give a token with --token or RULESHIFT_TOKEN)'
        : error.status === 403
          ? " (this token's role is too low for the command)"
          : '';
    return `error: ${what}${hint} [HTTP ${error.status} ${error.code}]`;
  }
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}
