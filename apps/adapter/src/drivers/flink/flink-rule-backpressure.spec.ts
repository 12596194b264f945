import type { FlinkVertexBackpressure } from '@ruleshift/flink-client';
import { FLINK_BACKPRESSURE_WARMUP_MS, readFlinkRuleBackpressure } from './flink-rule-backpressure';

const JOB = 'a'.repeat(32);
const START = 1_000_000;

/** A job of two vertices whose backpressure figures are `figures` (undefined: none yet). */
const clientWith = (figures: (FlinkVertexBackpressure | undefined)[]) => ({
  getJob: () =>
    Promise.resolve({
      jobId: JOB,
      name: 'rule',
      state: 'RUNNING' as const,
      startTime: START,
      vertices: figures.map((_, i) => ({
        id: String(i).repeat(32),
        name: `v${i}`,
        status: 'RUNNING',
        parallelism: 1,
      })),
    }),
  vertexBackpressure: (_job: string, vertexId: string) =>
    Promise.resolve(figures[Number(vertexId[0])]),
});

const warm = START + FLINK_BACKPRESSURE_WARMUP_MS;
const ratios = (backPressuredRatio: number, busyRatio: number, endTimestamp = warm) => ({
  level: 'ok',
  backPressuredRatio,
  busyRatio,
  endTimestamp,
});

describe('readFlinkRuleBackpressure', () => {
  it.each([
    ['the busiest subtask of any vertex, busy', [ratios(0, 0.9), ratios(0.2, 0.1)], 0.9],
    ['the busiest subtask of any vertex, back-pressured', [ratios(0.7, 0.2), ratios(0, 0.4)], 0.7],
    ['an idle job', [ratios(0, 0), ratios(0, 0)], 0],
    ['a vertex without figures yet is left out', [undefined, ratios(0, 0.3)], 0.3],
    ['no figures at all', [undefined, undefined], undefined],
    ["figures from the job's warm-up are left out", [ratios(0, 1, warm - 1)], undefined],
  ])('%s', async (_name, figures, expected) => {
    expect(await readFlinkRuleBackpressure(clientWith(figures), JOB)).toBe(expected);
  });
});
