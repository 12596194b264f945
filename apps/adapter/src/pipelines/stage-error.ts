import { RuleshiftError } from '@ruleshift/contracts';

/**
 * An error of one stage's operation, told as the pipeline's: the fields under `stages[i].`,
 * the message naming the stage. Errors that are not ours (a runtime's) keep their text as a
 * 502, the code of a runtime that failed.
 */
export function stageError(error: unknown, index: number, stage: string): RuleshiftError {
  const prefix = `stages[${index}]`;
  if (error instanceof RuleshiftError) {
    const errors =
      error.errors.length > 0
        ? error.errors.map((e) => ({ field: `${prefix}.${e.field}`, reason: e.reason }))
        : [{ field: prefix, reason: error.message }];
    return new RuleshiftError(error.code, `stage ${stage}: ${error.message}`, errors);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RuleshiftError('RUNTIME_ERROR', `stage ${stage}: ${reason}`, [
    { field: prefix, reason },
  ]);
}
