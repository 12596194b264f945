import type { Observer, OperatorFunction } from 'rxjs';
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
  return fusedOperator<KeyedStream, RuleEmission>(
    (subscriber) => new WindowStoreStage(subscriber, store),
  );
}

/** One subscription's stage (a class: see `Stage`). */
class WindowStoreStage implements Observer<KeyedStream> {
  constructor(
    private readonly subscriber: Observer<RuleEmission>,
    private readonly store: WindowStore,
  ) {}

  next(item: KeyedStream): void {
    switch (item.kind) {
      case 'keyed':
        return this.store.add(item, this.subscriber);
      case 'watermark':
        return this.store.advance(item.time, this.subscriber);
      case 'dead-letter':
        return this.subscriber.next(item);
    }
  }

  error(err: unknown): void {
    this.subscriber.error(err);
  }

  complete(): void {
    this.subscriber.complete();
  }
}
