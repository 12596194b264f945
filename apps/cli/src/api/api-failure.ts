import type { FieldError } from '@ruleshift/contracts';

/** A non-2xx answer of the API, with the fields its error JSON named. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The server could not be reached at all (refused, reset, DNS, timeout). */
export class ServerUnreachable extends Error {
  constructor(
    readonly server: string,
    reason: string,
  ) {
    super(`cannot reach ${server}: ${reason}`);
    this.name = 'ServerUnreachable';
  }
}

/** A command line the CLI refuses before asking the server (exit code 2), naming the argument. */
export class UsageError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'UsageError';
  }
}

/** An operation the server accepted that ended badly (e.g. the rule ended FAILED). */
export class OperationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationFailed';
  }
}
