import type { KeySlot, WindowKey } from './types';

/**
 * Primitive keys are used as Map keys directly (no string building per event). Objects and
 * arrays are stored under their JSON text, prefixed with a character no JSON text starts
 * with, so the object key {"a":1} never collides with the string key '{"a":1}'.
 */
export function keySlot(key: WindowKey): KeySlot {
  const type = typeof key;
  if (type === 'string' || type === 'number' || type === 'boolean') return key as KeySlot;
  return key === null || key === undefined ? null : '\u0000' + JSON.stringify(key);
}

/**
 * A string slot as window state may keep it. A key the field extractor read out of an event's
 * text can be a view into that text (V8 makes slices of 13 or more characters views), which
 * state holding the key would keep alive whole, about 200 bytes per key instead of 30. State
 * stores a copy, made once per key held (per key for time windows, which intern their keys; per
 * key and window for count windows and joins); lookups keep using the view.
 */
export function ownSlot(slot: KeySlot): KeySlot {
  return typeof slot === 'string' && slot.length >= SLICED_STRING_MIN_LENGTH
    ? (JSON.parse(JSON.stringify(slot)) as string)
    : slot;
}

/** The key stored beside its owned slot: for a string key, the slot is the key. */
export function ownKey(key: WindowKey, owned: KeySlot): WindowKey {
  return typeof key === 'string' ? owned : key;
}

/** V8's shortest sliced string: shorter slices are copies already. */
const SLICED_STRING_MIN_LENGTH = 13;
