import { Logger } from '@nestjs/common';
import { RuleshiftError, RuntimeUnavailable, type ErrorBody } from '@ruleshift/contracts';
import { isRegistryUnavailable } from '../registry/registry-unavailable';

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
