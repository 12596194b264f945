import { isStable, pairedRatios, pairedRuns, spread, type Pair } from './paired-runs';

const settings = { minWarmup: 2, maxWarmup: 6, reps: 3, stableWindow: 3, tolerance: 0.1 };

describe('paired repetitions', () => {
  it('calls a series stable only when its last values lie within the tolerance of their median', () => {
    expect(isStable([500, 100, 104, 96], 3, 0.05)).toBe(true);
    expect(isStable([100, 104, 120], 3, 0.05)).toBe(false);
    expect(isStable([100, 100], 3, 0.05)).toBe(false);
  });

  it('warms up until both engines are stable, then measures on repetitions of their own', async () => {
    const ours = [300, 200, 120, 100, 101, 99, 100, 100, 100];
    const theirs = [900, 200, 200, 200, 200, 200, 200, 200, 200];
    const seen: [number, boolean][] = [];
    const result = await pairedRuns(settings, async (repetition, measured) => {
      seen.push([repetition, measured]);
      return {
        ruleshift: { millis: 1, cpuMillis: ours[repetition] },
        siddhi: { millis: 1, cpuMillis: theirs[repetition] },
      };
    });
    // ruleshift is stable after 100, 101, 99 (repetitions 3-5): 6 warm-up pairs.
    expect(result).toMatchObject({ warmupPairs: 6, stable: true });
    expect(seen.map(([repetition]) => repetition)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seen.filter(([, measured]) => measured).map(([repetition]) => repetition)).toEqual([
      6, 7, 8,
    ]);
    expect(result.pairs).toHaveLength(3);
  });

  it('says so when warm-up ends unstable at its maximum', async () => {
    let flip = false;
    const result = await pairedRuns(settings, async () => {
      flip = !flip;
      return { ruleshift: { millis: 100, cpuMillis: flip ? 100 : 200 } };
    });
    expect(result).toMatchObject({ warmupPairs: 6, stable: false });
  });

  it('ratios are per pair: Siddhi time over ruleshift time, by wall clock or CPU time', () => {
    const timing = (millis: number) => ({ millis, cpuMillis: millis * 2 });
    const pairs: Pair[] = [
      { ruleshift: timing(100), siddhi: timing(150) },
      { ruleshift: timing(200), siddhi: timing(200) },
      { ruleshift: timing(50), siddhi: { millis: 100, cpuMillis: 400 } },
      { ruleshift: timing(80) },
    ];
    expect(spread(pairedRatios(pairs))).toEqual({ min: 1, median: 1.5, max: 2 });
    expect(spread(pairedRatios(pairs, 'cpuMillis'))).toEqual({ min: 1, median: 1.5, max: 4 });
  });
});
