import { RuleshiftError, RuntimeUnavailable } from '@ruleshift/contracts';

/**
 * Flink answered, but with an error: a non-2xx status or a `{"errors": [...]}` body. Flink's
 * messages are Java stack traces; `message` keeps their first lines (and the root `Caused by`)
 * so logs stay readable, `flinkErrors` keeps them whole.
 */
export class FlinkApiError extends RuleshiftError {
  constructor(
    readonly call: string,
    readonly status: number,
    readonly flinkErrors: string[],
  ) {
    const summary = flinkErrors.map(summarizeFlinkError).join('; ') || `HTTP ${status}`;
    super('RUNTIME_ERROR', `Flink ${call} failed (HTTP ${status}): ${summary}`, [
      { field: `flink.${call}`, reason: summary },
    ]);
  }
}

/** Flink did not answer: connection refused, DNS failure, or the request timed out. */
export class FlinkUnavailableError extends RuntimeUnavailable {
  constructor(
    readonly call: string,
    readonly baseUrl: string,
    readonly detail: string,
  ) {
    super('flink', `${call}: cannot reach Flink at ${baseUrl} (${detail})`);
  }
}

/** A job reached a state it cannot come back from (FAILED, CANCELED, ...) while we waited. */
export class FlinkJobFailedError extends RuleshiftError {
  constructor(
    readonly jobId: string,
    readonly state: string,
    readonly rootCause: string | undefined,
  ) {
    super(
      'RUNTIME_ERROR',
      `Flink job ${jobId} is ${state}` + (rootCause ? `: ${summarizeFlinkError(rootCause)}` : ''),
      [{ field: 'flink.job', reason: `${state}${rootCause ? `: ${rootCause}` : ''}` }],
    );
  }
}

/** A bounded wait (job running, savepoint done) ran out; says what was seen last. */
export class FlinkTimeoutError extends RuleshiftError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    readonly lastSeen: string,
  ) {
    super('RUNTIME_ERROR', `${operation} did not finish within ${timeoutMs} ms (${lastSeen})`, [
      { field: 'flink.timeout', reason: lastSeen },
    ]);
  }
}

/** Flink finished a savepoint operation with a failure cause instead of a location. */
export class FlinkSavepointFailedError extends RuleshiftError {
  constructor(
    readonly jobId: string,
    readonly triggerId: string,
    readonly failureCause: string,
  ) {
    super(
      'RUNTIME_ERROR',
      `savepoint of Flink job ${jobId} failed: ${summarizeFlinkError(failureCause)}`,
      [{ field: 'flink.savepoint', reason: failureCause }],
    );
  }
}

/** First line of a Java stack trace plus its innermost `Caused by:` line. */
export function summarizeFlinkError(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  const head = lines[0] ?? '';
  const causes = lines.filter((line) => line.startsWith('Caused by:'));
  const root = causes[causes.length - 1];
  return root && root !== head ? `${head} [${root}]` : head;
}
