import { fromText, getIn, setIn } from './json-path';

describe('install form JSON edits', () => {
  it('sets a nested path without touching the original', () => {
    const original = { jobProps: { condition: '>' } };
    const next = setIn(original, ['jobProps', 'window', 'kind'], 'tumbling');
    expect(next).toEqual({ jobProps: { condition: '>', window: { kind: 'tumbling' } } });
    expect(original).toEqual({ jobProps: { condition: '>' } });
    expect(getIn(next, ['jobProps', 'window', 'kind'])).toBe('tumbling');
  });

  it('leaves a cleared field out (the API refuses null), and an emptied object with it', () => {
    const draft = { jobProps: { window: { kind: 'count' } }, headers: { runtime: 'edge' } };
    expect(setIn(draft, ['jobProps', 'window', 'kind'], undefined)).toEqual({
      headers: { runtime: 'edge' },
    });
  });

  it('turns typed text into a number only where the schema allows one', () => {
    expect(fromText('20', true)).toBe(20);
    expect(fromText('-1.5e3', true)).toBe(-1500);
    expect(fromText('20', false)).toBe('20');
    expect(fromText('1.', true)).toBe('1.');
    expect(fromText('hot', true)).toBe('hot');
    expect(fromText('', true)).toBeUndefined();
  });
});
