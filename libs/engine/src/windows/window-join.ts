import type { OperatorFunction } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { driveWindowStore } from './drive-window-store';
import type { KeyedStream } from './types';
import type { WindowJoinBuffer } from './window-join-buffer';

/**
 * Windowed join of input 0 (left) with input 1 (right): emits {windowStart, windowEnd, key,
 * left, right} per matching pair as soon as both are in the same window (see WindowJoinBuffer).
 */
export function windowJoin(buffer: WindowJoinBuffer): OperatorFunction<KeyedStream, RuleEmission> {
  return driveWindowStore(buffer);
}
