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
