/** One field the API names in an error answer (`errors[]` of every 4xx/5xx body). */
export interface FieldError {
  field: string;
  reason: string;
}

/** An answer other than 2xx, in the API's one error shape (or what the console made of it). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }

  /** The reason the API gave for one field, e.g. `jobProps.fieldName`. */
  reasonFor(field: string): string | undefined {
    return this.errors.find((error) => error.field === field)?.reason;
  }
}

/**
 * A thrown value as one line a person can read: the API's message, then each field reason it
 * does not already say (the message often is `<field>: <reason>` itself).
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors
      .filter((e) => !error.message.includes(e.reason))
      .map((e) => `${e.field}: ${e.reason}`)
      .join('; ');
    return fields ? `${error.message} (${fields})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether asking again cannot help: the thing is not there (404) or gone for good (410). */
export function isGone(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 410);
}
