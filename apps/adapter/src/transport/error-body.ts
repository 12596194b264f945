import { Logger } from '@nestjs/common';
import { RuleshiftError, type ErrorBody } from '@ruleshift/contracts';

const logger = new Logger('AdapterErrors');

/** What leaves the adapter for an error: a RuleshiftError as is, anything else as INTERNAL. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof RuleshiftError) return err.toJSON();
  if (RuleshiftError.isErrorBody(err)) return { ...err, errors: err.errors ?? [] };
  // The stack stays in the adapter's log, never in a response.
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return { code: 'INTERNAL', message: 'internal error in the adapter', errors: [] };
}

export function toRuleshiftError(err: unknown): RuleshiftError {
  return err instanceof RuleshiftError ? err : RuleshiftError.fromJSON(toErrorBody(err));
}
