/**
 * 3. The edge engine alone (no broker): ~216-byte JSON strings -> parseJson -> the filter
 * template's edge program -> JSON.stringify of every output, as in bench/src/engine-vs-siddhi
 * (its runner is reused). The threshold passes every event, so every output is serialised.
 */
import * as path from 'node:path';
import { builtEngine } from '../engine-vs-siddhi/built-engine';
import { runOnce } from '../engine-vs-siddhi/ruleshift-engine';
import { SCENARIOS, type Scenario } from '../engine-vs-siddhi/scenarios';
import { benchEvent } from '../payload';
import { median, report } from '../stats';
import { positiveIntEnv } from './settings';

const BENCH = 'engine-filter';
const REPO_ROOT = path.resolve(__dirname, '../../..');

export async function engineFilter(): Promise<void> {
  const events = positiveIntEnv('BENCH_ENGINE_FILTER_EVENTS', 200_000);
  const base = SCENARIOS.find((scenario) => scenario.jobType === 'filter');
  if (!base) throw new Error('no filter scenario in engine-vs-siddhi/scenarios');
  const scenario: Scenario = {
    ...base,
    jobProps: {
      condition: '>',
      threshold: -1000,
      fieldName: 'temperature',
      fieldJsonPath: '$.temperature',
    },
  };
  const target = { engine: builtEngine(REPO_ROOT), repoRoot: REPO_ROOT };
  const lines = Array.from({ length: events }, (_, seq) => JSON.stringify(benchEvent(seq)));
  for (let rep = 0; rep < 2; rep++) await runOnce(target, scenario, lines);
  const rates: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const run = await runOnce(target, scenario, lines);
    if (run.outputs.length !== events)
      throw new Error(`${run.outputs.length} outputs of ${events}`);
    rates.push((events * 1000) / run.millis);
  }
  report({
    bench: BENCH,
    metric: 'JSON in -> JSON out',
    value: Math.round(median(rates)),
    unit: 'events/s',
    target: '>= 250000',
    note: `${events} events, median of 5 after 2 warm-up`,
  });
}
