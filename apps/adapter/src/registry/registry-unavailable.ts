/**
 * PostgreSQL's connection-loss and shutdown classes (SQLSTATE 08xxx, 57P01-57P03), a refused or
 * reset socket, and pg's own "Connection terminated" (which carries no code).
 */
const UNAVAILABLE_CODES = /^(08\d{3}|57P0[123]|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/;

/** Whether `err` says the registry could not be reached (a passing outage), not a refusal. */
export function isRegistryUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const withCodes = err as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = withCodes.code ?? withCodes.driverError?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  return /Connection terminated|terminating connection/i.test(err.message);
}
