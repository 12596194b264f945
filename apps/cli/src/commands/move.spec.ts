import { parseTarget } from './move';

describe('move --to', () => {
  it('takes <runtime>/<resource>', () => {
    expect(parseTarget('edge/gw2')).toEqual({ runtime: 'edge', resource: 'gw2' });
    expect(parseTarget('flink/flink')).toEqual({ runtime: 'flink', resource: 'flink' });
  });

  it.each(['gw2', 'kafka/x', 'edge/', '/gw2'])('refuses %s naming --to', (value) => {
    expect(() => parseTarget(value)).toThrow(/^--to: must be <runtime>\/<resource>/);
  });
});
