/**
 * The records that flow between the window operators. Dead letters and watermarks travel in
 * the same stream as events so that every operator sees them in arrival order: a watermark
 * always follows the event that advanced it, and a dead letter keeps its place among outputs.
 */
import type { DeadLetterReason } from '@ruleshift/contracts';
import type { InputEvent, RuleEmission } from '../edge-rule';

/** A key as found in the event (any JSON value), or null for a rule without group-by. */
export type WindowKey = unknown;
/** The Map key a WindowKey is stored under: the key itself when primitive, else its JSON. */
export type KeySlot = string | number | boolean | null;

export type DeadLetter = Extract<RuleEmission, { kind: 'dead-letter' }>;
export type Output = Extract<RuleEmission, { kind: 'output' }>;

/** An event stamped with its time (event time or processing time), ms since epoch. */
export interface TimedEvent {
  readonly kind: 'timed';
  readonly event: InputEvent;
  readonly time: number;
}

/** A timed event with its group-by key. */
export interface KeyedEvent {
  readonly kind: 'keyed';
  readonly event: InputEvent;
  readonly time: number;
  readonly key: WindowKey;
  readonly slot: KeySlot;
}

/**
 * A timed event allocated with room for its key: `keyBy` turns it into its KeyedEvent in place
 * (`toKeyed`) instead of allocating a second object per event, garbage that was a visible
 * share of a window rule's cost (issue 13). A stage hands each item to the next stage only and
 * keeps none, so a stage that still reads the item after passing it on must read its `kind`
 * first (eventTimeWatermarks does).
 */
export function timedEvent(event: InputEvent, time: number): TimedEvent {
  const item: TimedEvent & { key: WindowKey; slot: KeySlot | undefined } = {
    kind: 'timed',
    event,
    time,
    key: undefined,
    slot: undefined,
  };
  return item;
}

/** `item` as its KeyedEvent, the same object (see timedEvent). */
export function toKeyed(item: TimedEvent, key: WindowKey, slot: KeySlot): KeyedEvent {
  const keyed = item as unknown as { kind: 'keyed'; key: WindowKey; slot: KeySlot };
  keyed.kind = 'keyed';
  keyed.key = key;
  keyed.slot = slot;
  return item as unknown as KeyedEvent;
}

/** Time has reached `time`: no event with an earlier time is expected any more. */
export interface Watermark {
  readonly kind: 'watermark';
  readonly time: number;
}

export type TimedStream = TimedEvent | DeadLetter;
export type WatermarkedStream = TimedEvent | Watermark | DeadLetter;
export type KeyedStream = KeyedEvent | Watermark | DeadLetter;

/** Reads one value out of an event (a compiled JSONPath). */
export type Accessor = (value: unknown) => unknown;

/** Processing time source; injected so tests run on virtual time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The watermark at end of input: every open window closes. */
export const END_OF_INPUT = Number.POSITIVE_INFINITY;

export function deadLetter(reason: DeadLetterReason, detail: string, value: unknown): DeadLetter {
  return { kind: 'dead-letter', reason, detail, value };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
