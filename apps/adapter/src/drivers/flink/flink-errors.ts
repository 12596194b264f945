import { redactUrl } from '@ruleshift/broker';
import { RuleshiftError, RuntimeUnavailable } from '@ruleshift/contracts';
import { FlinkApiError, FlinkUnavailableError } from '@ruleshift/flink-client';

/**
 * Runs one Flink call and maps its failure to the adapter's vocabulary: an unreachable cluster
 * is RuntimeUnavailable naming `targetResource`; a refusal is RUNTIME_ERROR with Flink's reason.
 * Flink may echo the run request (broker URIs with credentials), so messages are redacted.
 */
export async function callFlink<T>(
  cluster: string,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDriverError(cluster, what, error);
  }
}

export function toDriverError(cluster: string, what: string, error: unknown): unknown {
  if (error instanceof FlinkUnavailableError) {
    return new RuntimeUnavailable(
      'targetResource',
      `Flink cluster ${cluster} is unreachable (${what}): ${redactUrl(error.detail)}`,
    );
  }
  if (error instanceof RuleshiftError && error.code === 'RUNTIME_ERROR') {
    return new RuleshiftError(
      'RUNTIME_ERROR',
      redactUrl(`Flink cluster ${cluster} refused ${what}: ${error.message}`),
      error.errors.map((e) => ({ field: e.field, reason: redactUrl(e.reason) })),
    );
  }
  return error;
}

/** Flink's answer for a job id it does not know (never submitted, or forgotten after a restart). */
export const isUnknownJob = (error: unknown): boolean =>
  error instanceof FlinkApiError && error.status === 404;

/** Flink refuses to cancel or stop a job that has already ended. */
export const isAlreadyTerminal = (error: unknown): boolean =>
  error instanceof FlinkApiError && error.status === 409;

/**
 * Flink's refusal to run a jar that is no longer in its upload directory (Flink 1.20 answers
 * 500 "Jar file <dir>/<jarId> does not exist").
 */
export const isMissingJar = (error: unknown, jarId: string): boolean =>
  error instanceof FlinkApiError &&
  error.flinkErrors.some((e) => e.includes(`${jarId} does not exist`));
