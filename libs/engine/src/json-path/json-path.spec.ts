import { ValidationFailed } from '@ruleshift/contracts';
import { compileJsonPath, InvalidJsonPath, parseJsonPath, validateJsonPath } from './json-path';

describe('compileJsonPath', () => {
  const doc = {
    a: { b: 1, 'a b': 'spaced', list: [10, [20, 21], { x: 'deep' }] },
    temperature: 21.5,
    température: 'accent',
    日本: { キー: 42 },
    zero: 0,
    nil: null,
  };

  it.each([
    ['$', doc],
    ['$.temperature', 21.5],
    ['$.a.b', 1],
    ["$['a']['a b']", 'spaced'],
    ['$.a["a b"]', 'spaced'],
    ['$.a.list[0]', 10],
    ['$.a.list[1][1]', 21],
    ['$.a.list[2].x', 'deep'],
    ['$.a["list"][2]["x"]', 'deep'],
    ['$.température', 'accent'],
    ['$.日本.キー', 42],
    ["$['日本']['キー']", 42],
    ['$.zero', 0],
    ['$.nil', null],
  ])('%s reads the value', (path, expected) => {
    expect(compileJsonPath(path)(doc)).toEqual(expected);
  });

  it.each([
    '$.missing',
    '$.a.missing',
    '$.a.b.c',
    '$.a.list[3]',
    '$.a.list[1][5]',
    '$.nil.x',
    '$.temperature[0]',
    '$.a[0]',
    '$.a.list.length',
    '$.a.list["0"]',
  ])('%s is undefined when absent', (path) => {
    expect(compileJsonPath(path)(doc)).toBeUndefined();
  });

  it('returns undefined for primitives and null roots', () => {
    const read = compileJsonPath('$.a');
    expect(read(null)).toBeUndefined();
    expect(read(5)).toBeUndefined();
    expect(read('a')).toBeUndefined();
    expect(read(undefined)).toBeUndefined();
  });

  it('reads own properties only, never the prototype chain', () => {
    const plain = JSON.parse('{"a":1}') as unknown;
    expect(compileJsonPath('$.constructor')(plain)).toBeUndefined();
    expect(compileJsonPath('$.__proto__')(plain)).toBeUndefined();
    expect(compileJsonPath('$.toString')(plain)).toBeUndefined();
    expect(compileJsonPath('$.constructor.prototype')(plain)).toBeUndefined();
    expect(compileJsonPath("$['hasOwnProperty']")(plain)).toBeUndefined();
  });

  it('reads __proto__ and constructor when the event really has them as own keys', () => {
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"name":"x"}}',
    ) as unknown;
    expect(compileJsonPath('$.__proto__.polluted')(hostile)).toBe(true);
    expect(compileJsonPath("$['constructor'].name")(hostile)).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('decodes escapes in quoted keys', () => {
    const value = { "it's": 1, 'q"q': 2, 'a\\b': 3, é: 4, 'tab\t': 5 };
    expect(compileJsonPath("$['it\\'s']")(value)).toBe(1);
    expect(compileJsonPath('$["q\\"q"]')(value)).toBe(2);
    expect(compileJsonPath("$['a\\\\b']")(value)).toBe(3);
    expect(compileJsonPath("$['\\u00e9']")(value)).toBe(4);
    expect(compileJsonPath('$["tab\\t"]')(value)).toBe(5);
    expect(compileJsonPath("$['a.b[0]']")({ 'a.b[0]': 6 })).toBe(6);
  });

  it('parses into segments', () => {
    expect(parseJsonPath('$.a["b c"][3].d')).toEqual(['a', 'b c', 3, 'd']);
    expect(parseJsonPath('$')).toEqual([]);
  });
});

describe('malformed paths', () => {
  it.each([
    ['', "must start with '$'"],
    ['a.b', "must start with '$'"],
    [' $.a', "must start with '$'"],
    ['$.', "expected a key after '.'"],
    ['$.a.', "expected a key after '.'"],
    ['$..a', 'recursive descent'],
    ['$.a[', "unterminated '['"],
    ['$.a[]', 'non-negative array index'],
    ['$.a[-1]', 'non-negative array index'],
    ['$.a[01]', 'non-negative array index'],
    ['$.a[1.5]', 'non-negative array index'],
    ['$.a[ 1 ]', 'non-negative array index'],
    ['$.a[*]', 'wildcard'],
    ['$.*', "expected a key after '.'"],
    ["$['a", 'unterminated quoted key'],
    ["$['a'", "expected ']'"],
    ["$['a\\x']", 'bad escape'],
    ["$['\\u12']", 'bad \\u escape'],
    ['$a', "unexpected 'a'"],
    ['$.a b', "unexpected ' '"],
    ['$.a]', "unexpected ']'"],
    ['$.a[99999999999999999999]', 'too large'],
  ])('%j is rejected: %s', (path, reason) => {
    expect(validateJsonPath(path)).toContain(reason);
    expect(() => compileJsonPath(path)).toThrow(InvalidJsonPath);
  });

  it('throws a ValidationFailed naming the field and the reason', () => {
    let caught: unknown;
    try {
      compileJsonPath('$.a[', 'jobProps.fieldJsonPath');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationFailed);
    const error = caught as InvalidJsonPath;
    expect(error.path).toBe('$.a[');
    expect(error.reason).toContain("unterminated '['");
    expect(error.errors).toEqual([
      { field: 'jobProps.fieldJsonPath', reason: expect.stringContaining("unterminated '['") },
    ]);
  });

  it('rejects non-strings', () => {
    expect(validateJsonPath(42 as unknown as string)).toBe('must be a string');
  });

  it('accepts valid paths', () => {
    expect(validateJsonPath('$.a[0]["b"]')).toBeNull();
  });
});
