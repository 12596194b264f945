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

export const emptyAccumulator = (): Accumulator => ({
  count: 0,
  sum: 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
});

export function accumulate(acc: Accumulator, value: number): void {
  acc.count++;
  acc.sum += value;
  if (value < acc.min) acc.min = value;
  if (value > acc.max) acc.max = value;
}

export function aggregateValue(kind: AggregateKind, acc: Accumulator): number {
  switch (kind) {
    case 'count':
      return acc.count;
    case 'sum':
      return acc.sum;
    case 'avg':
      return acc.sum / acc.count;
    case 'min':
      return acc.min;
    case 'max':
      return acc.max;
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
  acc: Accumulator,
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
