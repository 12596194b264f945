import type { Observer, OperatorFunction } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { fusedOperator } from '../operators/fused-observable';
import { ForwardingStage } from '../operators/forwarding-stage';
import type { KeyedStream } from './types';
import type { WindowStore } from './window-store';

/**
 * Feeds keyed events and watermarks into a window store and emits what it fires; dead
 * letters from earlier steps pass through in place. The store outlives the subscription so
 * the rule can snapshot it after a stop.
 */
export function driveWindowStore(store: WindowStore): OperatorFunction<KeyedStream, RuleEmission> {
  return fusedOperator<KeyedStream, RuleEmission>(
    (subscriber) => new WindowStoreStage(subscriber, store),
  );
}

/** One subscription's stage (a class: see `Stage`). */
class WindowStoreStage extends ForwardingStage<KeyedStream, RuleEmission> {
  constructor(
    downstream: Observer<RuleEmission>,
    private readonly store: WindowStore,
  ) {
    super(downstream);
  }

  next(item: KeyedStream): void {
    switch (item.kind) {
      case 'keyed':
        return this.store.add(item, this.downstream);
      case 'watermark':
        return this.store.advance(item.time, this.downstream);
      case 'dead-letter':
        return this.downstream.next(item);
    }
  }
}
