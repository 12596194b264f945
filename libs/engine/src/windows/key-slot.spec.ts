import { keySlot, ownKey, ownSlot } from './key-slot';

describe('ownSlot / ownKey', () => {
  it.each([
    ['a short string', 'd1'],
    ['a string of 13 characters', 'device-000042'],
    ['a long string with unicode and a lone surrogate', 'température-日本-😀-\ud800-end'],
  ])('keeps %s equal', (_case, key) => {
    const view = `{"k":"${key}"}`.slice(6, 6 + key.length);
    expect(view).toBe(key);
    const owned = ownSlot(keySlot(view));
    expect(owned).toBe(key);
    expect(ownKey(view, owned)).toBe(key);
  });

  it('leaves numbers, booleans, null and object keys as they are', () => {
    const objectKey = { a: 1 };
    expect(ownSlot(7)).toBe(7);
    expect(ownSlot(true)).toBe(true);
    expect(ownSlot(null)).toBeNull();
    const slot = keySlot(objectKey);
    expect(ownSlot(slot)).toBe(slot);
    expect(ownKey(objectKey, ownSlot(slot))).toBe(objectKey);
  });
});
