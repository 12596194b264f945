/**
 * Property: with bounded out-of-orderness, the order of arrival does not matter as long as no
 * event is displaced by more than the bound: the results equal those of the sorted input.
 */
import fc from 'fast-check';
import { createProgram, runInputs, split } from './testing/window-toolkit';

const BOUND_MS = 300;

/** Swaps neighbours whose times are within the bound: no event ends up behind the watermark. */
function shuffleWithinBound(events: { ts: number }[], swaps: number[]): { ts: number }[] {
  const out = [...events];
  for (const at of swaps) {
    const i = at % Math.max(1, out.length - 1);
    if (i + 1 < out.length && out[i + 1].ts - out[i].ts <= BOUND_MS)
      [out[i], out[i + 1]] = [out[i + 1], out[i]];
  }
  return out;
}

const isDisplacementWithinBound = (events: { ts: number }[]): boolean => {
  let max = -Infinity;
  for (const e of events) {
    if (e.ts < max - BOUND_MS) return false;
    max = Math.max(max, e.ts);
  }
  return true;
};

describe('window aggregation under bounded disorder', () => {
  it('equals the aggregation of the sorted input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 400 }),
            v: fc.integer({ min: -50, max: 50 }),
            k: fc.constantFrom('a', 'b', 'c'),
          }),
          {
            maxLength: 60,
          },
        ),
        fc.array(fc.nat(), { maxLength: 100 }),
        fc.constantFrom('sum', 'count', 'avg', 'min', 'max'),
        fc.constantFrom(
          { kind: 'tumbling', sizeMs: 1000 },
          { kind: 'sliding', sizeMs: 1000, slideMs: 250 },
        ),
        async (steps, swaps, aggregate, window) => {
          let ts = 10_000;
          const sorted = steps.map((s) => ({ ts: (ts += s.dt), v: s.v, k: s.k }));
          const shuffled = shuffleWithinBound(sorted, swaps) as typeof sorted;
          fc.pre(isDisplacementWithinBound(shuffled));
          const jobProps = {
            aggregate,
            fieldJsonPath: '$.v',
            window: { ...window, time: 'event' },
            timeFieldJsonPath: '$.ts',
            groupByJsonPath: '$.k',
            maxOutOfOrdernessMs: BOUND_MS,
          };
          const run = async (events: typeof sorted) =>
            split(
              await runInputs(
                createProgram('window-aggregation', jobProps),
                events.map((event) => ({ input: 0, event })),
              ),
            );
          const key = (row: unknown) => JSON.stringify(row);
          const [a, b] = [await run(sorted), await run(shuffled)];
          expect(b.deadLetters).toEqual([]);
          expect(b.outputs.map(key).sort()).toEqual(a.outputs.map(key).sort());
        },
      ),
      { numRuns: 150 },
    );
  });
});
