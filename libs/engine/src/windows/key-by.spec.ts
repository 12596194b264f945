import { EMPTY, from, Subject } from 'rxjs';
import { collect, failingAfter } from '../testing/events';
import { keyBy } from './key-by';
import { field, timed, watermark } from './testing/records';
import type { KeyedStream, WatermarkedStream } from './types';

const byDevice = keyBy({ keyOf: field('device'), path: '$.device' });
const keysOf = (items: KeyedStream[]) =>
  items.map((item) =>
    item.kind === 'keyed' ? item.key : item.kind === 'watermark' ? `w${item.time}` : item.reason,
  );

describe('keyBy', () => {
  it('completes on an empty input', () => {
    expect(collect(byDevice, EMPTY)).toEqual({ items: [], completed: true });
  });

  it('keys a single event and keeps its time', () => {
    const [item] = collect(byDevice, from([timed(5, { device: 'a' })])).items;
    expect(item).toMatchObject({ kind: 'keyed', key: 'a', slot: 'a', time: 5 });
  });

  it('keys many events, JSON keys of any type, watermarks passing in place', () => {
    const items = collect(
      byDevice,
      from<WatermarkedStream[]>([
        timed(3, { device: 1 }),
        watermark(3),
        timed(1, { device: { site: 'x' } }),
        timed(2, { device: null }),
      ]),
    ).items;
    expect(keysOf(items)).toEqual([1, 'w3', { site: 'x' }, null]);
    expect(items[2]).toMatchObject({ slot: '\u0000{"site":"x"}' });
  });

  it('groups everything under the key null without a selector', () => {
    expect(keysOf(collect(keyBy(null), from([timed(1, { device: 'a' })])).items)).toEqual([null]);
  });

  it('dead-letters an event without the key as missing-field', () => {
    const items = collect(byDevice, from([timed(1, {}), timed(2, { device: 'b' })])).items;
    expect(keysOf(items)).toEqual(['missing-field', 'b']);
  });

  it('uses one selector per input and dead-letters an input without one', () => {
    const join = keyBy([
      { keyOf: field('id'), path: '$.id' },
      { keyOf: field('deviceId'), path: '$.deviceId' },
    ]);
    const items = collect(
      join,
      from([timed(1, { id: 'a' }, 0), timed(1, { deviceId: 'b' }, 1), timed(1, { id: 'c' }, 2)]),
    ).items;
    expect(keysOf(items)).toEqual(['a', 'b', 'rule-error']);
  });

  it('propagates a source error', () => {
    const error = new Error('x');
    expect(collect(byDevice, failingAfter([], error)).error).toBe(error);
  });

  it('unsubscribes upstream on early stop', () => {
    const source = new Subject<WatermarkedStream>();
    byDevice(source).subscribe().unsubscribe();
    expect(source.observed).toBe(false);
  });

  it('dead-letters an event whose key accessor throws as rule-error and goes on', () => {
    const throwing = keyBy({
      keyOf: () => {
        throw new Error('nope');
      },
      path: '$.k',
    });
    const items = collect(throwing, from([timed(1, {}), watermark(1)])).items;
    expect(items[0]).toMatchObject({
      kind: 'dead-letter',
      reason: 'rule-error',
      detail: 'key $.k: nope',
    });
    expect(items[1]).toEqual(watermark(1));
  });
});
