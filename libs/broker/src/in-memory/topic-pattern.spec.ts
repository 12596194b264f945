import { compileTopicPattern } from './topic-pattern';

describe('compileTopicPattern', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a.b.c', 'a.b.c', true],
    ['a.b.c', 'a.b', false],
    ['a.*.c', 'a.x.c', true],
    ['a.*.c', 'a.c', false],
    ['a.*', 'a.b.c', false],
    ['a.#', 'a', true],
    ['a.#', 'a.b.c', true],
    ['#.c', 'a.b.c', true],
    ['#.c', 'c', true],
    ['a.#.c', 'a.c', true],
    ['a.#.c', 'a.x.y.c', true],
    ['a.#.c', 'a.x.y.d', false],
    ['#', '', true],
    ['*', '', true],
    ['*', 'a.b', false],
    ['sensors.*.temp', 'sensors.dev-1.temp', true],
  ];
  it.each(cases)('%s vs %s -> %s', (pattern, key, expected) => {
    expect(compileTopicPattern(pattern)(key)).toBe(expected);
  });
});
