/** Builders for the records that flow between window operators (specs only). */
import type { InputEvent } from '../../edge-rule';
import { keySlot } from '../key-slot';
import type { KeyedEvent, TimedEvent, Watermark } from '../types';

export const event = (value: unknown, seq = 0, input = 0): InputEvent => ({
  value,
  input,
  seq,
  arrivedAt: seq,
});

export const timed = (time: number, value: unknown = { time }, input = 0): TimedEvent => ({
  kind: 'timed',
  event: event(value, 0, input),
  time,
});

export const keyed = (time: number, key: unknown, value: unknown = {}, input = 0): KeyedEvent => ({
  kind: 'keyed',
  event: event(value, 0, input),
  time,
  key,
  slot: keySlot(key),
});

export const watermark = (time: number): Watermark => ({ kind: 'watermark', time });

/** A plain accessor for `$.<name>`, so specs do not depend on the JSONPath compiler. */
export const field =
  (name: string) =>
  (value: unknown): unknown =>
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[name]
      : undefined;
