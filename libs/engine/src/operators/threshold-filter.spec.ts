import { ValidationFailed } from '@ruleshift/contracts';
import { from, Subject, take } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { collect, failingAfter, inputEvent, inputEvents, plainEmission } from '../testing/events';
import { thresholdFilter, type ThresholdFilterOptions } from './threshold-filter';

const over20: ThresholdFilterOptions = { condition: '>', threshold: 20, fieldName: 'temperature' };
const run = (options: ThresholdFilterOptions, values: unknown[]) => {
  const collected = collect(thresholdFilter(options), from(inputEvents(...values)));
  return { ...collected, items: collected.items.map(plainEmission) };
};

describe('thresholdFilter', () => {
  it('completes without items on empty input', () => {
    expect(run(over20, [])).toEqual({ items: [], completed: true });
  });

  it('forwards the whole event when the condition holds', () => {
    const event = { temperature: 25, device: 'd1', extra: { nested: [1] } };
    expect(run(over20, [event]).items).toEqual([{ kind: 'output', value: event }]);
  });

  it.each([
    ['>', [21], [19, 20]],
    ['>=', [20, 21], [19]],
    ['=', [20], [19, 21]],
    ['<', [19], [20, 21]],
    ['<=', [19, 20], [21]],
  ] as const)('%s 20 keeps %j and drops %j', (condition, kept, dropped) => {
    const options: ThresholdFilterOptions = { condition, threshold: 20, fieldName: 't' };
    const values = [...kept, ...dropped].map((t) => ({ t }));
    expect(run(options, values).items.map((e) => (e.value as { t: number }).t)).toEqual(kept);
  });

  it('compares string thresholds by code-unit order', () => {
    const options: ThresholdFilterOptions = { condition: '>=', threshold: 'b', fieldName: 's' };
    const values = ['a', 'b', 'ba', 'B', 'é', '😀', ''].map((s) => ({ s }));
    expect(run(options, values).items.map((e) => (e.value as { s: string }).s)).toEqual([
      'b',
      'ba',
      'é',
      '😀',
    ]);
  });

  it('compares an extracted member and forwards the bytes without parsing the event', () => {
    let parsed = 0;
    const text = '{"temperature":25,"device":"d1"}';
    const extracted: InputEvent = {
      ...inputEvent(undefined),
      fields: { temperature: 25 },
      raw: text,
      get value() {
        parsed++;
        return JSON.parse(text) as unknown;
      },
    };
    const [forwarded] = collect(thresholdFilter(over20), from([extracted])).items;
    expect(forwarded).toMatchObject({ kind: 'output', raw: text });
    expect(parsed).toBe(0);
    expect(forwarded.value).toEqual({ temperature: 25, device: 'd1' });
  });

  it('reads the compared value with fieldJsonPath', () => {
    const options: ThresholdFilterOptions = {
      condition: '=',
      threshold: 'on',
      fieldName: 'state',
      fieldJsonPath: '$.payload.sensors[1]["state"]',
    };
    const hit = { payload: { sensors: [{ state: 'off' }, { state: 'on' }] } };
    const miss = { payload: { sensors: [{ state: 'on' }, { state: 'off' }] } };
    expect(run(options, [hit, miss]).items).toEqual([{ kind: 'output', value: hit }]);
  });

  it('dead-letters a missing field, naming it', () => {
    const [letter] = run(over20, [{ humidity: 3 }]).items;
    expect(letter).toMatchObject({
      kind: 'dead-letter',
      reason: 'missing-field',
      value: { humidity: 3 },
    });
    expect(letter.kind === 'dead-letter' && letter.detail).toContain('temperature');
  });

  it.each([['21'], [true], [null], [{ v: 1 }], [[1]]])(
    'dead-letters %j against a number threshold',
    (t) => {
      expect(run(over20, [{ temperature: t }]).items).toEqual([
        expect.objectContaining({ kind: 'dead-letter', reason: 'wrong-type' }),
      ]);
    },
  );

  it('dead-letters a number against a string threshold', () => {
    const options: ThresholdFilterOptions = { condition: '=', threshold: '5', fieldName: 'v' };
    expect(run(options, [{ v: 5 }]).items[0]).toMatchObject({ reason: 'wrong-type' });
  });

  it('keeps many events in input order, mixing outputs and dead letters', () => {
    const values = [
      { temperature: 30 },
      {},
      { temperature: 10 },
      { temperature: 'x' },
      { temperature: 25 },
    ];
    expect(
      run(over20, values).items.map((e) => (e.kind === 'output' ? e.value : e.reason)),
    ).toEqual([{ temperature: 30 }, 'missing-field', 'wrong-type', { temperature: 25 }]);
  });

  it('passes a source error through', () => {
    const boom = new Error('gone');
    const result = collect(
      thresholdFilter(over20),
      failingAfter([inputEvent({ temperature: 30 })], boom),
    );
    expect(result.items).toHaveLength(1);
    expect(result.error).toBe(boom);
  });

  it('stops reading when downstream takes only the first output', () => {
    const source = new Subject<InputEvent>();
    const result = collect((s) => thresholdFilter(over20)(s).pipe(take(1)), source);
    source.next(inputEvent({ temperature: 5 }, 0));
    source.next(inputEvent({ temperature: 50 }, 1));
    expect(source.observed).toBe(false);
    expect(result.items).toHaveLength(1);
  });

  it('dead-letters an event whose value throws when read, and continues', () => {
    const hostile = Object.defineProperty({}, 'temperature', {
      enumerable: true,
      get() {
        throw new Error('getter exploded');
      },
    });
    const result = run(over20, [hostile, { temperature: 99 }]);
    expect(result.items[0]).toMatchObject({ kind: 'dead-letter', reason: 'rule-error' });
    expect(result.items[1]).toEqual({ kind: 'output', value: { temperature: 99 } });
    expect(result.completed).toBe(true);
  });

  it('is order-preserving for out-of-order input', () => {
    expect(
      run(over20, [{ temperature: 40 }, { temperature: 30 }]).items.map((e) => e.value),
    ).toEqual([{ temperature: 40 }, { temperature: 30 }]);
  });

  it('reads fieldName as one key, dots and spaces included, never as a path', () => {
    const byName = (fieldName: string): ThresholdFilterOptions => ({
      condition: '>',
      threshold: 1,
      fieldName,
    });
    const events = [{ 'a.b': 2, a: { b: 0 } }, { 'a.b': 0, a: { b: 2 } }, { 'a b': 2 }];
    const passed = (fieldName: string) =>
      run(byName(fieldName), events)
        .items.filter((e) => e.kind === 'output')
        .map((e) => e.value);
    expect(passed('a.b')).toEqual([events[0]]);
    expect(passed('a b')).toEqual([events[2]]);
  });

  it.each([
    [{ condition: '!=', threshold: 1, fieldName: 'a' }, 'jobProps.condition'],
    [{ condition: '>', threshold: true, fieldName: 'a' }, 'jobProps.threshold'],
    [{ condition: '>', threshold: Number.NaN, fieldName: 'a' }, 'jobProps.threshold'],
    [{ condition: '>', threshold: 1, fieldName: '' }, 'jobProps.fieldName'],
    [
      { condition: '>', threshold: 1, fieldName: 'a', fieldJsonPath: '$.a[' },
      'jobProps.fieldJsonPath',
    ],
    [{ condition: '>', threshold: 1, fieldName: 'a', fieldJsonPath: 3 }, 'jobProps.fieldJsonPath'],
  ])('rejects bad options %j naming %s', (options, field) => {
    expect(() => thresholdFilter(options as unknown as ThresholdFilterOptions)).toThrow(
      ValidationFailed,
    );
    try {
      thresholdFilter(options as unknown as ThresholdFilterOptions);
    } catch (error) {
      expect((error as ValidationFailed).errors.map((e) => e.field)).toContain(field);
    }
  });
});
