import { resolve } from 'node:path';
import * as engine from '@ruleshift/engine';
import { digest } from './canonical';
import { rawInputs, runOnce } from './ruleshift-engine';
import { SCENARIOS, type Scenario } from './scenarios';
import { generateLines } from './sensor-input';

const TARGET = { engine, repoRoot: resolve(__dirname, '../../..') };
const scenario = (siddhiBench: Scenario['siddhiBench']): Scenario =>
  SCENARIOS.find((candidate) => candidate.siddhiBench === siddhiBench)!;

async function canonicalRun(bench: Scenario['siddhiBench'], events: number) {
  const chosen = scenario(bench);
  const lines = generateLines(chosen.shape(events));
  const run = await runOnce(TARGET, chosen, rawInputs(chosen, lines));
  return { run, lines: run.outputs.map((output) => chosen.canonicalLine(JSON.parse(output))) };
}

describe('ruleshift side of the engine benchmark', () => {
  it('filter forwards exactly the readings above the threshold, as JSON strings', async () => {
    const lines = generateLines(scenario('filter').shape(500));
    const expected = lines
      .map((line) => JSON.parse(line) as { seq: number; temperature: number })
      .filter((reading) => reading.temperature > 25)
      .map((reading) => String(reading.seq));
    const { run, lines: canonical } = await canonicalRun('filter', 500);
    expect(run.deadLetters).toBe(0);
    expect(digest(canonical)).toEqual(digest(expected));
  });

  it('tumbling aggregation emits one output per key and window, flushed at end of input', async () => {
    // 10 events per key per window: 20,000 events over 1,000 keys and 2 windows.
    const { run, lines } = await canonicalRun('tumbling', 20_000);
    expect(run.outputs).toHaveLength(2000);
    expect(lines.every((line) => line.endsWith('|10'))).toBe(true);
  });

  it('sliding aggregation emits every hop: windows start at multiples of the slide', async () => {
    const { lines } = await canonicalRun('sliding', 20_000);
    const starts = new Set(lines.map((line) => Number(line.split('|')[0]) % 1000));
    expect(starts).toEqual(new Set([0]));
    // 2 s event time, 2 s windows sliding by 1 s: 3 windows per key.
    expect(lines).toHaveLength(3000);
  });

  it('join pairs the left and right event of each key in each window', async () => {
    const { lines } = await canonicalRun('join', 4000);
    expect(lines).toHaveLength(2000);
    for (const line of lines) {
      const [, left, right] = line.split('|').map(Number);
      expect(right).toBe(left + 1);
      expect(left % 2).toBe(0);
    }
  });
});
