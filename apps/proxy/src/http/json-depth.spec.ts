import { exceedsJsonDepth } from './json-depth';

const depthOf = (text: string, max: number) => exceedsJsonDepth(Buffer.from(text), max);

describe('exceedsJsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(depthOf('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(depthOf('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(depthOf('{"a":"[[[[[[{{{{{"}', 1)).toBe(false);
    expect(depthOf('{"a":"\\"[[[[\\\\"}', 1)).toBe(false);
  });

  it('sees thousands of levels, closed or not', () => {
    expect(depthOf('['.repeat(5000) + ']'.repeat(5000), 64)).toBe(true);
    expect(depthOf('{"a":'.repeat(3000), 64)).toBe(true);
  });

  it('reads multi-byte UTF-8 without confusing it for structure', () => {
    expect(depthOf('{"é😀":["ü"]}', 2)).toBe(false);
  });
});
