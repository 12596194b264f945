import { EMPTY, from, Subject } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { collect, failingAfter } from '../testing/events';
import { CountWindowAggregation } from './count-window-aggregation';
import { field, keyed, watermark } from './testing/records';
import { END_OF_INPUT, type KeyedStream } from './types';
import { windowAggregate } from './window-aggregate';
import { countWindows } from './window-assigners';

const valueField = { valueOf: field('v'), path: '$.v' };
const show = (items: RuleEmission[]) =>
  items.map((item) => {
    if (item.kind === 'dead-letter') return item.reason;
    const r = item.value as { windowStart: number; windowEnd: number; key: unknown; value: number };
    return `${String(r.key)}[${r.windowStart}-${r.windowEnd}]=${r.value}`;
  });
const events = (key: string, ...values: number[]) =>
  values.map((v, i) => keyed(10 * (i + 1), key, { v }));

describe('windowAggregate over count windows', () => {
  it('emits nothing for an empty input', () => {
    const state = new CountWindowAggregation({ windows: countWindows(2), aggregate: 'count' });
    expect(collect(windowAggregate(state), EMPTY)).toEqual({ items: [], completed: true });
  });

  it('fires a tumbling count window on its last event, per key, never on a watermark', () => {
    const state = new CountWindowAggregation({
      windows: countWindows(2),
      aggregate: 'sum',
      field: valueField,
    });
    const items = collect(
      windowAggregate(state),
      from([
        keyed(5, 'a', { v: 1 }),
        keyed(1, 'b', { v: 9 }),
        keyed(3, 'a', { v: 2 }),
        watermark(END_OF_INPUT),
      ]),
    ).items;
    expect(show(items)).toEqual(['a[3-5]=3']);
    expect(state.stats()).toMatchObject({ keys: 1, openWindows: 1 });
  });

  it('fires overlapping sliding count windows with the right events', () => {
    const state = new CountWindowAggregation({
      windows: countWindows(3, 1),
      aggregate: 'sum',
      field: valueField,
    });
    const items = collect(windowAggregate(state), from(events('k', 1, 2, 3, 4, 5))).items;
    expect(show(items)).toEqual(['k[10-30]=6', 'k[20-40]=9', 'k[30-50]=12']);
    expect(state.snapshot()).toEqual([
      {
        key: 'k',
        seen: 5,
        elements: [
          { time: 40, value: 4 },
          { time: 50, value: 5 },
        ],
      },
    ]);
  });

  it('skips the events between hopping count windows', () => {
    const state = new CountWindowAggregation({
      windows: countWindows(2, 3),
      aggregate: 'sum',
      field: valueField,
    });
    const items = collect(windowAggregate(state), from(events('k', 1, 2, 100, 4, 5, 100, 7))).items;
    expect(show(items)).toEqual(['k[10-20]=3', 'k[40-50]=9']);
  });

  it('dead-letters bad values and refuses keys beyond maxKeys', () => {
    const state = new CountWindowAggregation({
      windows: countWindows(1),
      aggregate: 'max',
      field: valueField,
      maxKeys: 1,
    });
    const items = collect(
      windowAggregate(state),
      from([
        keyed(1, 'a', {}),
        keyed(1, 'a', { v: 'x' }),
        keyed(1, 'a', { v: 1 }),
        keyed(1, 'b', { v: 2 }),
      ]),
    ).items;
    // A fired tumbling window frees its key, so b is admitted after a's window fired.
    expect(show(items)).toEqual(['missing-field', 'wrong-type', 'a[1-1]=1', 'b[1-1]=2']);
    const limited = new CountWindowAggregation({
      windows: countWindows(2),
      aggregate: 'count',
      maxKeys: 1,
    });
    const refused = collect(windowAggregate(limited), from([keyed(1, 'a'), keyed(1, 'b')])).items;
    expect(refused[0]).toMatchObject({
      reason: 'rule-error',
      detail: 'state limit: 1 keys (maxKeys) hold state',
    });
  });

  it('restores a snapshot and continues the same windows', () => {
    const state = new CountWindowAggregation({
      windows: countWindows(3),
      aggregate: 'avg',
      field: valueField,
    });
    collect(windowAggregate(state), from(events('a', 1, 2)));
    const restored = new CountWindowAggregation({
      windows: countWindows(3),
      aggregate: 'avg',
      field: valueField,
    });
    restored.restore(JSON.parse(JSON.stringify(state.snapshot())));
    const items = collect(windowAggregate(restored), from([keyed(30, 'a', { v: 6 })])).items;
    expect(show(items)).toEqual(['a[10-30]=3']);
    expect(() => restored.restore([{ key: 'a', seen: 'x' }])).toThrow(
      'snapshot.state.countWindows[0].seen',
    );
  });

  it('propagates a source error and stops cleanly', () => {
    const state = new CountWindowAggregation({ windows: countWindows(2), aggregate: 'count' });
    const error = new Error('down');
    expect(collect(windowAggregate(state), failingAfter([keyed(1, 'a')], error)).error).toBe(error);
    const source = new Subject<KeyedStream>();
    windowAggregate(state)(source).subscribe().unsubscribe();
    expect(source.observed).toBe(false);
  });

  it('dead-letters an event whose value accessor throws', () => {
    const state = new CountWindowAggregation({
      windows: countWindows(1),
      aggregate: 'sum',
      field: {
        valueOf: () => {
          throw new Error('boom');
        },
        path: '$.v',
      },
    });
    expect(collect(windowAggregate(state), from([keyed(1, 'a', {})])).items).toMatchObject([
      { reason: 'rule-error' },
    ]);
  });
});
