import type { FlinkClientPort } from './flink-cluster';

/**
 * How saturated a rule's Flink job is, 0..1: over its vertices and their subtasks, the highest
 * share of time a subtask was back-pressured (waiting for a slower downstream) or busy
 * (processing). Both mean the job is at its capacity: a bottleneck operator is busy and its
 * upstream back-pressured, and a job whose operators are all chained into one vertex (a
 * filter is) only ever shows busy. An idle job (waiting for input) is at 0. Undefined while
 * Flink has figures for none of its vertices (the first read after the job started).
 */
export async function readFlinkRuleBackpressure(
  client: Pick<FlinkClientPort, 'getJob' | 'vertexBackpressure'>,
  flinkJobId: string,
): Promise<number | undefined> {
  const job = await client.getJob(flinkJobId);
  let highest: number | undefined;
  for (const vertex of job.vertices) {
    const ratios = await client.vertexBackpressure(flinkJobId, vertex.id);
    if (ratios) highest = Math.max(highest ?? 0, ratios.backPressuredRatio, ratios.busyRatio);
  }
  return highest;
}
