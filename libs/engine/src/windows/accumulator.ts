/**
 * O(1) state per window and key: count, sum, min and max are kept, avg is derived when the
 * window fires. min/max stay at ±Infinity while no value was aggregated (count needs none).
 */
export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateKind = (typeof AGGREGATES)[number];

export interface Accumulator {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * What time windows keep per window and key: min and max only when the aggregate reads them
 * (`tracksExtremes`), since each is a boxed double in V8, 16 bytes plus its field per window
 * and key. A window without them snapshots them as null, as an empty one does.
 */
export interface Totals {
  count: number;
  sum: number;
  min?: number;
  max?: number;
}

export const tracksExtremes = (kind: AggregateKind): boolean => kind === 'min' || kind === 'max';

export const emptyAccumulator = (): Accumulator => ({
  count: 0,
  sum: 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
});

/** Adds `value` to totals, and to min and max when they are kept (an Accumulator keeps them). */
export function accumulate(totals: Totals, value: number): void {
  totals.count++;
  totals.sum += value;
  if (totals.min !== undefined && value < totals.min) totals.min = value;
  if (totals.max !== undefined && value > totals.max) totals.max = value;
}

export function aggregateValue(kind: AggregateKind, acc: Totals): number {
  switch (kind) {
    case 'count':
      return acc.count;
    case 'sum':
      return acc.sum;
    case 'avg':
      return acc.sum / acc.count;
    case 'min':
      return acc.min ?? Number.POSITIVE_INFINITY;
    case 'max':
      return acc.max ?? Number.NEGATIVE_INFINITY;
  }
}

/** The output row shared with the Flink jobs. */
export interface AggregateResult {
  windowStart: number;
  windowEnd: number;
  key: unknown;
  aggregate: AggregateKind;
  value: number;
  count: number;
}

export function aggregateResult(
  kind: AggregateKind,
  key: unknown,
  windowStart: number,
  windowEnd: number,
  acc: Totals,
): AggregateResult {
  return {
    windowStart,
    windowEnd,
    key,
    aggregate: kind,
    value: aggregateValue(kind, acc),
    count: acc.count,
  };
}
