import type { Observer, OperatorFunction } from 'rxjs';
import { fusedOperator } from '../operators/fused-observable';
import { ForwardingStage } from '../operators/forwarding-stage';
import { readField } from '../operators/read-field';
import { keySlot } from './key-slot';
import {
  deadLetter,
  errorMessage,
  toKeyed,
  type Accessor,
  type KeyedStream,
  type WatermarkedStream,
} from './types';
import { missingDetail } from '../operators/dead-letter-detail';

/** How to read the group-by key: one path, or one per input (a join's left and right). */
export interface KeySelector {
  readonly keyOf: Accessor;
  readonly path: string;
}

/**
 * Adds the group-by key to each timed event. `null` groups everything under the key null.
 * An event without the key is a `missing-field` dead letter; a JSON null is a valid key.
 * With one selector per input, an event from an input without a selector is a `rule-error`.
 */
export function keyBy(
  selector: KeySelector | readonly KeySelector[] | null,
): OperatorFunction<WatermarkedStream, KeyedStream> {
  const perInput: readonly (KeySelector | null)[] | null = Array.isArray(selector)
    ? (selector as readonly KeySelector[])
    : null;
  const single = perInput === null ? (selector as KeySelector | null) : null;
  return fusedOperator<WatermarkedStream, KeyedStream>(
    (subscriber) => new KeyByStage(subscriber, perInput, single),
  );
}

/** One subscription's stage (a class: see `Stage`). */
class KeyByStage extends ForwardingStage<WatermarkedStream, KeyedStream> {
  constructor(
    downstream: Observer<KeyedStream>,
    private readonly perInput: readonly (KeySelector | null)[] | null,
    private readonly single: KeySelector | null,
  ) {
    super(downstream);
  }

  next(item: WatermarkedStream): void {
    const { downstream: subscriber, perInput } = this;
    if (item.kind !== 'timed') {
      subscriber.next(item);
      return;
    }
    const { event } = item;
    const chosen = perInput === null ? this.single : (perInput[event.input] ?? undefined);
    if (chosen === null) {
      subscriber.next(toKeyed(item, null, null));
      return;
    }
    if (chosen === undefined) {
      subscriber.next(deadLetter('rule-error', `no input ${event.input}`, event.value));
      return;
    }
    let key: unknown;
    try {
      key = readField(chosen.keyOf, event);
    } catch (err) {
      subscriber.next(
        deadLetter('rule-error', `key ${chosen.path}: ${errorMessage(err)}`, event.value),
      );
      return;
    }
    if (key === undefined) {
      subscriber.next(deadLetter('missing-field', missingDetail(chosen.path), event.value));
      return;
    }
    subscriber.next(toKeyed(item, key, keySlot(key)));
  }
}
