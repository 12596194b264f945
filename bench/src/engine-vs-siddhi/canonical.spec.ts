import { createHash } from 'node:crypto';
import { aggregationLine, digest, filterLine, fixed6, joinLine } from './canonical';

describe('canonical outputs', () => {
  it('hashes sorted lines joined by newlines, whatever the arrival order', () => {
    const expected = createHash('sha256').update('1\n2\n3').digest('hex');
    expect(digest(['3', '1', '2'])).toEqual({ outputs: 3, checksum: expected });
    expect(digest(['2', '3', '1']).checksum).toBe(expected);
  });

  it('tells different multisets apart', () => {
    expect(digest(['1', '1']).checksum).not.toBe(digest(['1']).checksum);
  });

  it('writes aggregation values with six decimals so 21 and 21.0 agree', () => {
    const json = { windowStart: 1000, key: 'device-000001', value: 21, count: 3 };
    const fromJava = JSON.parse(
      '{"windowStart":1000,"key":"device-000001","value":21.0,"count":3}',
    );
    expect(aggregationLine(json)).toBe('1000|device-000001|21.000000|3');
    expect(aggregationLine(fromJava)).toBe(aggregationLine(json));
  });

  it('rounds from the exact binary value like Java BigDecimal HALF_UP', () => {
    // 0.0000005 is stored slightly below the half, so it rounds down (a decimal rounder says 0.000001).
    expect(fixed6(0.0000005)).toBe('0.000000');
    expect(fixed6(70 / 3)).toBe('23.333333');
    expect(fixed6(-1.25)).toBe('-1.250000');
  });

  it('reduces filter and join outputs to their identities', () => {
    expect(filterLine({ seq: 42 })).toBe('42');
    expect(joinLine({ windowStart: 5000, left: { seq: 8 }, right: { seq: 9 } })).toBe('5000|8|9');
  });
});
