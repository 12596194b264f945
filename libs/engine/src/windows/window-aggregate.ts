import type { OperatorFunction } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import type { CountWindowAggregation } from './count-window-aggregation';
import { driveWindowStore } from './drive-window-store';
import type { TimeWindowAggregation } from './time-window-aggregation';
import type { KeyedStream } from './types';

/**
 * Windowed aggregation: emits {windowStart, windowEnd, key, aggregate, value, count} per
 * window and key when the window fires (see TimeWindowAggregation / CountWindowAggregation).
 */
export function windowAggregate(
  state: TimeWindowAggregation | CountWindowAggregation,
): OperatorFunction<KeyedStream, RuleEmission> {
  return driveWindowStore(state);
}
