import { parseTimestamp } from './timestamp';

describe('parseTimestamp', () => {
  it('takes ms-epoch numbers, flooring fractions', () => {
    expect(parseTimestamp(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(parseTimestamp(1500.9)).toBe(1500);
    expect(parseTimestamp(0)).toBe(0);
  });

  it('takes ISO-8601 date-times with a zone', () => {
    expect(parseTimestamp('2024-01-01T00:00:00Z')).toBe(1_704_067_200_000);
    expect(parseTimestamp('2024-01-01T00:00:00.250Z')).toBe(1_704_067_200_250);
    expect(parseTimestamp('2024-01-01T01:00:00+01:00')).toBe(1_704_067_200_000);
  });

  it.each([
    ['2024-01-01'],
    ['2024-01-01T00:00:00'],
    ['yesterday'],
    ['1700000000000'],
    [NaN],
    [Infinity],
    [null],
    [true],
    [{}],
  ])('rejects %p', (value) => {
    expect(parseTimestamp(value)).toBeNull();
  });
});
