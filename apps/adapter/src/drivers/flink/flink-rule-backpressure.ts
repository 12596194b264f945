import type { FlinkClientPort } from './flink-cluster';

/**
 * Flink's figures of a job's first seconds say it is busy 100 % of the time (its tasks set
 * up before they measure idleness; seen on 1.20 for one metrics-fetch interval, 10 s by
 * default): figures computed before this long after the job started are not used.
 */
export const FLINK_BACKPRESSURE_WARMUP_MS = 15_000;

/**
 * How saturated a rule's Flink job is, 0..1: over its vertices and their subtasks, the highest
 * share of time a subtask was back-pressured (waiting for a slower downstream) or busy
 * (processing). Both mean the job is at its capacity: a bottleneck operator is busy and its
 * upstream back-pressured, and a job whose operators are all chained into one vertex (a
 * filter is) only ever shows busy. An idle job (waiting for input) is at 0. Undefined while
 * Flink has no usable figures for any of its vertices (none yet, or from its warm-up).
 */
export async function readFlinkRuleBackpressure(
  client: Pick<FlinkClientPort, 'getJob' | 'vertexBackpressure'>,
  flinkJobId: string,
): Promise<number | undefined> {
  const job = await client.getJob(flinkJobId);
  let highest: number | undefined;
  for (const vertex of job.vertices) {
    const ratios = await client.vertexBackpressure(flinkJobId, vertex.id);
    if (!ratios || ratios.endTimestamp - job.startTime < FLINK_BACKPRESSURE_WARMUP_MS) continue;
    highest = Math.max(highest ?? 0, ratios.backPressuredRatio, ratios.busyRatio);
  }
  return highest;
}
