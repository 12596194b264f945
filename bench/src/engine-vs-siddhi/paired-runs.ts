/**
 * Paired repetitions: both engines run one after the other on the same fresh input, repetition
 * by repetition, so a change in machine load hits both members of a pair alike; the figure is
 * the ratio within each pair (min / median / max), not a ratio of medians taken minutes apart.
 * Warm-up pairs run until each engine's per-repetition CPU time is stable (on a shared
 * machine the wall-clock time of one repetition moves with the load, its CPU time much less).
 */

/** What one engine took for one repetition. */
export interface Timing {
  /** Wall clock. */
  millis: number;
  /** CPU time of the engine's process (every thread: JIT and GC included), user + system. */
  cpuMillis: number;
}

/** Each engine's timing in one repetition; no Siddhi where it has no equivalent. */
export interface Pair {
  ruleshift: Timing;
  siddhi?: Timing;
}

export interface PairedSettings {
  /** Warm-up pairs at least, and at most (stable or not). */
  minWarmup: number;
  maxWarmup: number;
  /** Measured pairs. */
  reps: number;
  /** Stable: the last `stableWindow` times of an engine lie within `tolerance` of their median. */
  stableWindow: number;
  tolerance: number;
}

export interface PairedResult {
  warmupPairs: number;
  /** Whether warm-up ended because both engines were stable (else maxWarmup was reached). */
  stable: boolean;
  pairs: Pair[];
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** Whether the last `window` values all lie within `tolerance` (a fraction) of their median. */
export function isStable(millis: readonly number[], window: number, tolerance: number): boolean {
  if (millis.length < window) return false;
  const last = millis.slice(-window);
  const middle = median(last);
  return last.every((value) => Math.abs(value - middle) <= tolerance * middle);
}

/**
 * Runs warm-up pairs until stable (or maxWarmup), then `reps` measured pairs. `runPair` gets
 * the repetition number (fresh input per repetition: warm-up and measured never share one)
 * and whether the pair is measured.
 */
export async function pairedRuns(
  settings: PairedSettings,
  runPair: (repetition: number, measured: boolean) => Promise<Pair>,
): Promise<PairedResult> {
  const ours: number[] = [];
  const theirs: number[] = [];
  let repetition = 0;
  let stable = false;
  while (repetition < settings.maxWarmup) {
    const pair = await runPair(repetition++, false);
    ours.push(pair.ruleshift.cpuMillis);
    if (pair.siddhi !== undefined) theirs.push(pair.siddhi.cpuMillis);
    stable =
      isStable(ours, settings.stableWindow, settings.tolerance) &&
      (theirs.length === 0 || isStable(theirs, settings.stableWindow, settings.tolerance));
    if (stable && repetition >= settings.minWarmup) break;
  }
  const pairs: Pair[] = [];
  for (let i = 0; i < settings.reps; i++) pairs.push(await runPair(repetition++, true));
  return { warmupPairs: repetition - settings.reps, stable, pairs };
}

/**
 * ruleshift / Siddhi throughput of each pair (same events, so Siddhi's time / ours), by wall
 * clock or by CPU time.
 */
export function pairedRatios(pairs: readonly Pair[], by: keyof Timing = 'millis'): number[] {
  return pairs.flatMap((pair) =>
    pair.siddhi === undefined ? [] : [pair.siddhi[by] / pair.ruleshift[by]],
  );
}
