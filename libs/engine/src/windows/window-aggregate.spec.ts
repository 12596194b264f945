import { EMPTY, from, Subject } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { collect, failingAfter } from '../testing/events';
import { field, keyed, watermark } from './testing/records';
import {
  TimeWindowAggregation,
  type TimeWindowAggregationOptions,
} from './time-window-aggregation';
import { deadLetter, END_OF_INPUT, type KeyedStream } from './types';
import { windowAggregate } from './window-aggregate';
import { slidingWindows, tumblingWindows } from './window-assigners';

const sumOf = (options: Partial<TimeWindowAggregationOptions> = {}) =>
  new TimeWindowAggregation({
    windows: tumblingWindows(1000),
    aggregate: 'sum',
    field: { valueOf: field('v'), path: '$.v' },
    ...options,
  });
const show = (items: RuleEmission[]) =>
  items.map((item) => {
    if (item.kind === 'dead-letter') return item.reason;
    const r = item.value as { windowStart: number; key: unknown; value: number; count: number };
    return `${r.windowStart}/${String(r.key)}=${r.value}#${r.count}`;
  });
const run = (state: TimeWindowAggregation, items: KeyedStream[]) =>
  collect(windowAggregate(state), from(items));

describe('windowAggregate over time windows', () => {
  it('emits nothing for an empty input', () => {
    expect(collect(windowAggregate(sumOf()), EMPTY)).toEqual({ items: [], completed: true });
  });

  it('fires a single window when the watermark reaches its end, with the exact output row', () => {
    const result = run(sumOf(), [keyed(1500, 'a', { v: 2 }), watermark(1999), watermark(2000)]);
    expect(result.items).toEqual([
      {
        kind: 'output',
        value: {
          windowStart: 1000,
          windowEnd: 2000,
          key: 'a',
          aggregate: 'sum',
          value: 2,
          count: 1,
        },
      },
    ]);
  });

  it('after a restore, adds to the restored windows, not to ones the store held before', () => {
    const state = sumOf({ windows: slidingWindows(2000, 1000) });
    const out = { next: () => undefined };
    state.add(keyed(1500, 'a', { v: 1 }), out);
    const saved = state.snapshot();
    state.add(keyed(1600, 'a', { v: 10 }), out);
    state.restore(saved, null);
    const items = run(state, [keyed(1700, 'a', { v: 100 }), watermark(END_OF_INPUT)]).items;
    expect(show(items)).toEqual(['0/a=101#2', '1000/a=101#2']);
  });

  it('opens a fresh window for an event whose window was dropped and reopened by lateness', () => {
    const state = sumOf({ allowedLatenessMs: 500 });
    const items = run(state, [
      keyed(100, 'a', { v: 1 }),
      watermark(1200),
      keyed(200, 'a', { v: 2 }),
      watermark(1500),
      keyed(300, 'a', { v: 4 }),
      keyed(2100, 'a', { v: 8 }),
      watermark(END_OF_INPUT),
    ]).items;
    expect(show(items)).toEqual(['0/a=1#1', '0/a=3#2', 'late', '2000/a=8#1']);
  });

  it('aggregates many keys and windows, firing windows in end order and keys in arrival order', () => {
    const items = run(sumOf(), [
      keyed(100, 'b', { v: 1 }),
      keyed(200, 'a', { v: 2 }),
      keyed(1100, 'a', { v: 3 }),
      keyed(300, 'b', { v: 4 }),
      watermark(END_OF_INPUT),
    ]).items;
    expect(show(items)).toEqual(['0/b=5#2', '0/a=2#1', '1000/a=3#1']);
  });

  it.each([
    ['count', 3],
    ['sum', 6],
    ['avg', 2],
    ['min', 1],
    ['max', 3],
  ] as const)('computes %s incrementally', (aggregate, expected) => {
    const state = sumOf({
      aggregate,
      field: aggregate === 'count' ? undefined : { valueOf: field('v'), path: '$.v' },
    });
    const items = run(state, [
      keyed(1, 'k', { v: 3 }),
      keyed(2, 'k', { v: 1 }),
      keyed(3, 'k', { v: 2 }),
      watermark(1000),
    ]).items;
    expect(items).toMatchObject([{ value: { aggregate, value: expected, count: 3 } }]);
  });

  it('accepts out-of-order events until the watermark passes their window', () => {
    const items = run(sumOf(), [
      keyed(1800, 'a', { v: 1 }),
      keyed(1200, 'a', { v: 2 }),
      watermark(2000),
    ]).items;
    expect(show(items)).toEqual(['1000/a=3#2']);
  });

  it('re-fires a window for a late event within allowed lateness, dead-letters it beyond', () => {
    const state = sumOf({ allowedLatenessMs: 500 });
    const items = run(state, [
      keyed(1000, 'a', { v: 1 }),
      watermark(2000),
      keyed(1999, 'a', { v: 2 }),
      keyed(1500, 'b', { v: 7 }),
      watermark(2500),
      keyed(1999, 'a', { v: 4 }),
    ]).items;
    expect(show(items)).toEqual(['1000/a=1#1', '1000/a=3#2', '1000/b=7#1', 'late']);
    expect(state.stats()).toMatchObject({ keys: 0, openWindows: 0, late: 1 });
  });

  it('is late for a sliding window only when every window of the event is gone', () => {
    const state = sumOf({ windows: slidingWindows(1000, 500) });
    const items = run(state, [
      keyed(1600, 'a', { v: 1 }),
      watermark(2000),
      keyed(1700, 'a', { v: 2 }),
      watermark(END_OF_INPUT),
    ]).items;
    expect(show(items)).toEqual(['1000/a=1#1', '1500/a=3#2']);
  });

  it('dead-letters missing and non-numeric values and passes earlier dead letters in place', () => {
    const items = run(sumOf(), [
      deadLetter('not-json', 'x', null),
      keyed(1, 'a', {}),
      keyed(1, 'a', { v: '3' }),
      keyed(1, 'a', { v: 1 }),
      watermark(1000),
    ]).items;
    expect(show(items)).toEqual(['not-json', 'missing-field', 'wrong-type', '0/a=1#1']);
  });

  it('refuses new keys beyond maxKeys with rule-error "state limit", known keys still count', () => {
    const state = sumOf({ maxKeys: 1 });
    const items = run(state, [
      keyed(1, 'a', { v: 1 }),
      keyed(2, 'b', { v: 1 }),
      keyed(3, 'a', { v: 1 }),
      watermark(1000),
    ]).items;
    expect(items[0]).toMatchObject({
      kind: 'dead-letter',
      reason: 'rule-error',
      detail: 'state limit: 1 keys (maxKeys) hold state',
    });
    expect(show(items)).toEqual(['rule-error', '0/a=2#2']);
  });

  it('counts a key whose windows all went as a new key against maxKeys', () => {
    const state = sumOf({ maxKeys: 1 });
    const items = run(state, [
      keyed(1, 'a', { v: 1 }),
      watermark(1000),
      keyed(1500, 'b', { v: 1 }),
      keyed(1600, 'a', { v: 1 }),
      keyed(1700, 'b', { v: 1 }),
    ]).items;
    expect(show(items)).toEqual(['0/a=1#1', 'rule-error']);
    expect(state.stats()).toMatchObject({ keys: 1, openWindows: 1 });
    expect(show(run(state, [watermark(END_OF_INPUT)]).items)).toEqual(['1000/b=2#2']);
  });

  it('keeps each key in each window apart across windows, with the window of each event', () => {
    const state = sumOf({ windows: slidingWindows(2000, 1000), allowedLatenessMs: 1000 });
    const items = run(state, [
      keyed(1500, 'device-000001', { v: 1 }),
      keyed(1600, 'device-000002', { v: 2 }),
      keyed(2500, 'device-000001', { v: 10 }),
      watermark(3000),
      keyed(2100, 'device-000002', { v: 100 }),
      keyed(900, 'device-000001', { v: 1000 }),
      watermark(END_OF_INPUT),
    ]).items;
    expect(show(items)).toEqual([
      '0/device-000001=1#1',
      '0/device-000002=2#1',
      '1000/device-000001=11#2',
      '1000/device-000002=2#1',
      '1000/device-000002=102#2',
      'late',
      '2000/device-000001=10#1',
      '2000/device-000002=100#1',
    ]);
  });

  it('reports keys, open windows and bytes, and drops state once windows close', () => {
    const state = sumOf({ windows: slidingWindows(1000, 500) });
    run(state, [keyed(1100, 'a', { v: 1 }), keyed(1200, 'b', { v: 1 })]);
    expect(state.stats()).toMatchObject({ keys: 2, openWindows: 4 });
    expect(state.stats().bytes).toBeGreaterThan(0);
    run(state, [watermark(END_OF_INPUT)]);
    expect(state.stats()).toEqual({ keys: 0, openWindows: 0, bytes: 0, late: 0 });
  });

  it('snapshots to plain JSON and restores to the same results', () => {
    const state = sumOf({ aggregate: 'max', allowedLatenessMs: 1000 });
    run(state, [keyed(1500, { site: 1 }, { v: 4 }), keyed(2500, 'b', { v: -1 }), watermark(2000)]);
    const snapshot = JSON.parse(JSON.stringify(state.snapshot())) as unknown;
    expect(snapshot).toEqual([
      { key: { site: 1 }, start: 1000, end: 2000, count: 1, sum: 4, min: 4, max: 4 },
      { key: 'b', start: 2000, end: 3000, count: 1, sum: -1, min: -1, max: -1 },
    ]);
    const restored = sumOf({ aggregate: 'max', allowedLatenessMs: 1000 });
    restored.restore(snapshot, 2000);
    const items = run(restored, [
      keyed(1600, { site: 1 }, { v: 9 }),
      watermark(END_OF_INPUT),
    ]).items;
    expect(show(items)).toEqual(['1000/[object Object]=9#2', '2000/b=-1#1']);
  });

  it('leaves no cell of a dropped window reachable through a key that moved on out of order', () => {
    const state = sumOf();
    const out = { next: () => undefined };
    for (let i = 0; i < 100; i++) state.add(keyed(1500, `k${i}`, { v: 1 }), out);
    state.add(keyed(2100, 'a', { v: 1 }), out); // 'a' opens [2000, 3000)
    state.add(keyed(1900, 'a', { v: 1 }), out); // then one of 'a' for [1000, 2000), late
    state.advance(2000, out); // [1000, 2000) fires and goes; 'a' still holds [2000, 3000)
    expect(state.stats().openWindows).toBe(1);
    const internals = state as unknown as {
      keys: { find(slot: string): { recent?: { bucket: { end: number } } } | undefined };
    };
    expect(internals.keys.find('a')?.recent?.bucket.end ?? 3000).toBe(3000);
  });

  it('rejects a malformed snapshot with a ValidationFailed naming the field', () => {
    expect(() => sumOf().restore([{ key: 'a', start: 0, end: 'x' }], null)).toThrow(
      'snapshot.state.windows[0].end',
    );
    expect(() => sumOf().restore({}, null)).toThrow('snapshot.state.windows');
  });

  it('propagates a source error', () => {
    const error = new Error('down');
    expect(
      collect(windowAggregate(sumOf()), failingAfter([keyed(1, 'a', { v: 1 })], error)).error,
    ).toBe(error);
  });

  it('keeps state and emits nothing more after an early stop', () => {
    const state = sumOf();
    const source = new Subject<KeyedStream>();
    const seen: RuleEmission[] = [];
    const subscription = windowAggregate(state)(source).subscribe((item) => seen.push(item));
    source.next(keyed(1, 'a', { v: 1 }));
    subscription.unsubscribe();
    source.next(watermark(END_OF_INPUT));
    expect(seen).toEqual([]);
    expect(source.observed).toBe(false);
    expect(state.stats().openWindows).toBe(1);
  });

  it('dead-letters an event whose value accessor throws as rule-error and goes on', () => {
    const state = sumOf({
      field: {
        valueOf: (value) => {
          if ((value as { bad?: boolean }).bad) throw new Error('boom');
          return 1;
        },
        path: '$.v',
      },
    });
    const items = run(state, [
      keyed(1, 'a', { bad: true }),
      keyed(2, 'a', {}),
      watermark(1000),
    ]).items;
    expect(items[0]).toMatchObject({ reason: 'rule-error', detail: 'field $.v: boom' });
    expect(show(items)).toEqual(['rule-error', '0/a=1#1']);
  });
});
