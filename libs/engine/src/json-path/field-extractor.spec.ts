import fc from 'fast-check';
import {
  compileFieldPlan,
  extractFields,
  MAX_FAST_LENGTH,
  type FieldPlan,
} from './field-extractor';

const planOf = (...keys: string[]): FieldPlan => compileFieldPlan(keys.map((key) => [key]))!;

/** What JSON.parse gives for each key (own members only), for comparison. */
function parsedMembers(text: string, keys: readonly string[]): Record<string, unknown> {
  const value = JSON.parse(text) as Record<string, unknown>;
  const members: Record<string, unknown> = {};
  for (const key of keys)
    members[key] = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
  return members;
}

/** Extracted members equal JSON.parse's, numbers compared with Object.is (-0, NaN-free). */
function expectSameAsParse(text: string, keys: string[]): void {
  const fields = extractFields(text, planOf(...keys));
  expect(fields).not.toBeNull();
  const expected = parsedMembers(text, keys);
  for (const key of keys) expect(Object.is(fields![key], expected[key])).toBe(true);
}

describe('compileFieldPlan', () => {
  it('keeps one-segment string paths, once each, in order', () => {
    expect(compileFieldPlan([['ts'], ['deviceId'], ['ts']])?.keys).toEqual(['ts', 'deviceId']);
  });

  it('leaves out nested paths, array indexes, the root and __proto__', () => {
    const plan = compileFieldPlan([['a', 'b'], [0], [], ['__proto__'], ['t']]);
    expect(plan?.keys).toEqual(['t']);
    expect(compileFieldPlan([['a', 'b'], []])).toBeNull();
  });
});

describe('extractFields', () => {
  const line =
    '{"deviceId":"device-000042","seq":7,"ts":1700000000123,"temperature":27.3,' +
    '"humidity":41,"site":"turin/plant-2","ok":true,"off":false,"none":null}';

  it('reads the wanted members of a flat compact object and nothing else', () => {
    const fields = extractFields(line, planOf('ts', 'deviceId', 'temperature'));
    expect(fields).toEqual({ ts: 1700000000123, deviceId: 'device-000042', temperature: 27.3 });
  });

  it('reads true, false and null, and leaves an absent key undefined', () => {
    expect(extractFields(line, planOf('ok', 'off', 'none', 'absent'))).toEqual({
      ok: true,
      off: false,
      none: null,
      absent: undefined,
    });
  });

  it('reads the empty object', () => {
    expect(extractFields('{}', planOf('a'))).toEqual({ a: undefined });
  });

  it('keeps the LAST occurrence of a duplicated member, as JSON.parse does', () => {
    const text = '{"ts":1,"deviceId":"a","ts":"two","x":0,"deviceId":"b","ts":3.5}';
    expect(extractFields(text, planOf('ts', 'deviceId'))).toEqual({ ts: 3.5, deviceId: 'b' });
    expectSameAsParse(text, ['ts', 'deviceId']);
    expectSameAsParse('{"a":null,"a":true}', ['a']);
    expectSameAsParse('{"a":"x","b":1,"a":{}}'.replace('{}', '2'), ['a', 'b']);
  });

  it('does not take a key for a string value with the same text', () => {
    const text = '{"name":"ts","ts":5,"other":"ts"}';
    expect(extractFields(text, planOf('ts', 'name'))).toEqual({ ts: 5, name: 'ts' });
  });

  it('matches keys exactly: a key that is a prefix or extension of a wanted one is another key', () => {
    const text = '{"t":1,"tss":2,"ts":3,"Ts":4}';
    expect(extractFields(text, planOf('ts', 't'))).toEqual({ ts: 3, t: 1 });
  });

  it('tells apart wanted keys of one length that share their first characters', () => {
    const text = '{"ab":1,"ba":2,"ac":3,"bb":4,"cc":5,"abc":6,"a":7}';
    expect(extractFields(text, planOf('ab', 'ac', 'bb', 'a'))).toEqual({
      ab: 1,
      ac: 3,
      bb: 4,
      a: 7,
    });
    expectSameAsParse(text, ['ab', 'ac', 'bb', 'ba', 'abc', 'a']);
  });

  it('reads the empty key', () => {
    expect(extractFields('{"a":1,"":"e","b":2}', planOf('', 'b'))).toEqual({ '': 'e', b: 2 });
    expect(extractFields('{"a":1}', planOf(''))).toEqual({ '': undefined });
  });

  it('ends a wanted number with an exponent where its exponent ends', () => {
    const text = '{"n":-1.5e+3,"m":2E-2,"o":7e1,"p":"x"}';
    expect(extractFields(text, planOf('n', 'm', 'o', 'p'))).toEqual({
      n: -1500,
      m: 0.02,
      o: 70,
      p: 'x',
    });
  });

  it('reads literals followed by other members', () => {
    const text = '{"t":true,"a":1,"f":false,"b":"x","n":null,"c":2.5}';
    expectSameAsParse(text, ['t', 'a', 'f', 'b', 'n', 'c']);
  });

  it('reads unicode keys and values as JSON.parse does (BMP, astral, lone surrogates)', () => {
    const text = JSON.stringify({ température: 'été', 日本: 'キー', e: '😀x', ['k😀']: -1 });
    expectSameAsParse(text, ['température', '日本', 'e', 'k😀']);
    // A lone surrogate is a valid code unit in a JSON text that JavaScript holds.
    const lone = '{"s":"a\ud800b","\udc00":1}';
    expectSameAsParse(lone, ['s', '\udc00']);
  });

  it.each([
    '0',
    '-0',
    '7',
    '-7',
    '1.5',
    '-1.5',
    '0.1',
    '0.000001',
    '27.3',
    '1700000000123',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '123456789012345678901234567890',
    '0.1234567890123456789',
    '1.0000000000000002',
    '2.2250738585072014e-308',
    '5e-324',
    '1e400',
    '-1e400',
    '1e3',
    '1E3',
    '1e+3',
    '1e-3',
    '-1.25E-10',
    '0e0',
    '-0.0',
    '100.000',
    '0.00000000000000000000001',
    '1.7976931348623157e308',
  ])('reads the number %s exactly as JSON.parse does', (number) => {
    expectSameAsParse(`{"n":${number},"m":1}`, ['n']);
    expectSameAsParse(`{"m":1,"n":${number}}`, ['n']);
  });

  it.each([
    ['whitespace between tokens', '{"a": 1}'],
    ['whitespace around the object', ' {"a":1}\n'],
    ['an escaped quote in a string', '{"a":"x\\"y"}'],
    ['a unicode escape in a key', '{"\\u0061":1}'],
    ['a nested object', '{"a":{"b":1}}'],
    ['an array', '{"a":[1,2]}'],
    ['a top-level array', '[1]'],
    ['a top-level number', '1'],
  ])('leaves %s to the whole parse', (_case, text) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(extractFields(text, planOf('a'))).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"a":1'],
    ['a trailing comma', '{"a":1,}'],
    ['a missing value', '{"a":}'],
    ['an unquoted key', '{a:1}'],
    ['single quotes', "{'a':1}"],
    ['a leading zero', '{"a":01}'],
    ['a bare minus', '{"a":-}'],
    ['a dot without digits', '{"a":1.}'],
    ['an exponent without digits', '{"a":1e}'],
    ['a plus sign', '{"a":+1}'],
    ['NaN', '{"a":NaN}'],
    ['a control character in a string', '{"a":"x\u0001y"}'],
    ['a tab in a string', '{"a":"x\ty"}'],
    ['text after the object', '{"a":1}x'],
    ['two objects', '{"a":1}{"a":2}'],
    ['a misspelt literal', '{"a":tru}'],
  ])('refuses %s (JSON.parse throws too)', (_case, text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(extractFields(text, planOf('a'))).toBeNull();
  });

  it('leaves texts longer than MAX_FAST_LENGTH to the whole parse', () => {
    const text = JSON.stringify({ a: 1, pad: 'x'.repeat(MAX_FAST_LENGTH) });
    expect(extractFields(text, planOf('a'))).toBeNull();
  });

  it('clones a fresh object per text: writing one does not change the next', () => {
    const plan = planOf('a');
    const first = extractFields('{"a":1}', plan)!;
    first.a = 99;
    expect(extractFields('{"b":1}', plan)).toEqual({ a: undefined });
  });
});

describe('extractFields agrees with JSON.parse (property)', () => {
  /** Members as [key, JSON text of the value], duplicates allowed, in order. */
  const members = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom('ts', 'id', 'v', 'x'), fc.string({ maxLength: 6 })),
      fc.oneof(
        fc.double({ noNaN: true }).map((n) => JSON.stringify(n)),
        fc.integer().map(String),
        fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
        fc.constantFrom('true', 'false', 'null', '-0', '1e21', '1.5E-7'),
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      ),
    ),
    { maxLength: 10 },
  );
  const wanted = fc.uniqueArray(fc.oneof(fc.constantFrom('ts', 'id', 'v', 'x'), fc.string()), {
    minLength: 1,
    maxLength: 4,
  });
  const compact = (entries: [string, string][]): string =>
    `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

  it('extracted members equal JSON.parse of the whole text whenever it extracts', () => {
    fc.assert(
      fc.property(members, wanted, (entries, keys) => {
        const plan = compileFieldPlan(keys.filter((k) => k !== '__proto__').map((k) => [k]));
        fc.pre(plan !== null);
        const text = compact(entries);
        const fields = extractFields(text, plan);
        if (fields === null) return;
        const expected = parsedMembers(text, plan.keys);
        for (const key of plan.keys) expect(Object.is(fields[key], expected[key])).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the same members as JSON.parse when many keys share a length and characters', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 3 });
    const value = fc.oneof(
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
      fc.constantFrom('true', 'false', 'null', '"v"', '1e5', '-2.5E-3'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, value), { maxLength: 12 }),
        fc.uniqueArray(key, { minLength: 1, maxLength: 6 }),
        (entries, keys) => {
          const plan = compileFieldPlan(keys.map((k) => [k]))!;
          const text = compact(entries);
          const fields = extractFields(text, plan);
          expect(fields).not.toBeNull();
          const expected = parsedMembers(text, plan.keys);
          for (const k of plan.keys) expect(Object.is(fields![k], expected[k])).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('extracts every flat compact object whose strings have no escapes', () => {
    const plain = fc
      .string({ maxLength: 8 })
      .filter((s) => [...s].every((c) => c !== '"' && c !== '\\' && c.charCodeAt(0) >= 0x20));
    const flat = fc.array(
      fc.tuple(
        plain,
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
          plain.map((s) => `"${s}"`),
          fc.constantFrom('true', 'false', 'null'),
        ),
      ),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(flat, (entries) => {
        const text = compact(entries);
        const keys = entries.map(([key]) => key).filter((key) => key !== '__proto__');
        fc.pre(keys.length > 0);
        const plan = compileFieldPlan(keys.map((key) => [key]))!;
        const fields = extractFields(text, plan);
        expect(fields).not.toBeNull();
        const expected = parsedMembers(text, plan.keys);
        for (const key of plan.keys) expect(Object.is(fields![key], expected[key])).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never extracts from a text JSON.parse refuses (random edits of valid texts)', () => {
    const edits = fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('', '"', ',', ':', '{', '}', '-', '.', 'e', ' ', '\u0001', '\\', '0'),
      ),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(members, edits, (entries, changes) => {
        let text = compact(entries);
        for (const [at, replacement] of changes) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + replacement + text.slice(i + 1);
        }
        const plan = compileFieldPlan([['ts'], ['id'], ['v'], ['x']])!;
        const fields = extractFields(text, plan);
        let parsed = true;
        try {
          JSON.parse(text);
        } catch {
          parsed = false;
        }
        if (!parsed) expect(fields).toBeNull();
        else if (fields !== null) {
          const expected = parsedMembers(text, plan.keys);
          for (const key of plan.keys) expect(Object.is(fields[key], expected[key])).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
