import { Logger } from '@nestjs/common';
import { RuleshiftError, RuntimeUnavailable, type ErrorBody } from '@ruleshift/contracts';

const logger = new Logger('AdapterErrors');

/** What leaves the adapter for an error: a RuleshiftError as is, anything else as INTERNAL. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof RuleshiftError) return err.toJSON();
  if (RuleshiftError.isErrorBody(err)) return { ...err, errors: err.errors ?? [] };
  if (isRegistryUnavailable(err)) {
    // A restarting or unreachable PostgreSQL is a passing outage, not a bug: the caller may retry.
    logger.warn(`registry unavailable: ${(err as Error).message}`);
    return new RuntimeUnavailable(
      'registry',
      'the job registry (PostgreSQL) is unavailable',
    ).toJSON();
  }
  // The stack stays in the adapter's log, never in a response.
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return { code: 'INTERNAL', message: 'internal error in the adapter', errors: [] };
}

export function toRuleshiftError(err: unknown): RuleshiftError {
  return err instanceof RuleshiftError ? err : RuleshiftError.fromJSON(toErrorBody(err));
}

/**
 * PostgreSQL's connection-loss and shutdown classes (SQLSTATE 08xxx, 57P01-57P03), a refused or
 * reset socket, and pg's own "Connection terminated" (which carries no code).
 */
const UNAVAILABLE_CODES = /^(08\d{3}|57P0[123]|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/;

function isRegistryUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const withCodes = err as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = withCodes.code ?? withCodes.driverError?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  return /Connection terminated|terminating connection/i.test(err.message);
}
