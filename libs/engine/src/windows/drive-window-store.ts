import type { OperatorFunction } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { fusedOperator } from '../operators/fused-observable';
import type { KeyedStream } from './types';
import type { WindowStore } from './window-store';

/**
 * Feeds keyed events and watermarks into a window store and emits what it fires; dead
 * letters from earlier steps pass through in place. The store outlives the subscription so
 * the rule can snapshot it after a stop.
 */
export function driveWindowStore(store: WindowStore): OperatorFunction<KeyedStream, RuleEmission> {
  return fusedOperator<KeyedStream, RuleEmission>((subscriber) => {
    const emit = (emission: RuleEmission): void => subscriber.next(emission);
    return {
      next(item) {
        switch (item.kind) {
          case 'keyed':
            return store.add(item, emit);
          case 'watermark':
            return store.advance(item.time, emit);
          case 'dead-letter':
            return subscriber.next(item);
        }
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    };
  });
}
