import { InternedKeys } from './interned-keys';

describe('InternedKeys', () => {
  it('interns a key once, with its own copy of a string read out of a text', () => {
    const keys = new InternedKeys<object>();
    const view = '{"k":"device-000042"}'.slice(6, 19);
    const entry = keys.intern(view, view);
    expect(entry).toMatchObject({ value: 'device-000042', holders: 0 });
    expect(keys.find('device-000042')).toBe(entry);
    expect(keys.find('device-000043')).toBeUndefined();
  });

  it('counts only keys some window holds, which is what maxKeys limits', () => {
    const keys = new InternedKeys<object>(1);
    const a = keys.intern('a', 'a');
    expect(keys.size).toBe(0);
    expect(keys.full).toBe(false);
    keys.hold(a);
    keys.hold(a);
    expect(keys.size).toBe(1);
    expect(keys.full).toBe(true);
    keys.release(a);
    expect(keys.full).toBe(true);
    keys.release(a);
    expect(keys.size).toBe(0);
    expect(keys.full).toBe(false);
    expect(keys.limitDetail).toBe('state limit: 1 keys (maxKeys) hold state');
  });

  it('keeps an idle key until the next sweep after the one it went idle before', () => {
    const keys = new InternedKeys<object>();
    const a = keys.intern('a', 'a');
    const b = keys.intern('b', 'b');
    keys.hold(a);
    keys.hold(b);
    keys.sweep();
    keys.release(a);
    keys.release(b);
    keys.hold(b);
    keys.sweep();
    expect(keys.find('a')).toBeUndefined();
    expect(keys.find('b')).toBe(b);
    keys.release(b);
    expect(keys.find('b')).toBe(b);
    keys.sweep();
    expect(keys.find('b')).toBeUndefined();
  });
});
