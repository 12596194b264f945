import { EMPTY, from, Subject } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { collect, failingAfter } from '../testing/events';
import { keyed, watermark } from './testing/records';
import { END_OF_INPUT, type KeyedEvent, type KeyedStream } from './types';
import { windowJoin } from './window-join';
import { WindowJoinBuffer } from './window-join-buffer';

const left = (time: number, key: unknown, name: string) => keyed(time, key, { name }, 0);
const right = (time: number, key: unknown, name: string) => keyed(time, key, { name }, 1);
const show = (items: RuleEmission[]) =>
  items.map((item) => {
    if (item.kind === 'dead-letter') return item.reason;
    const r = item.value as {
      windowStart: number;
      left: { name: string };
      right: { name: string };
    };
    return `${r.windowStart}:${r.left.name}+${r.right.name}`;
  });
const join = (items: KeyedStream[], buffer = new WindowJoinBuffer({ windowSizeMs: 1000 })) =>
  collect(windowJoin(buffer), from(items));

describe('windowJoin', () => {
  it('emits nothing for an empty input', () => {
    expect(collect(windowJoin(new WindowJoinBuffer({ windowSizeMs: 10 })), EMPTY)).toEqual({
      items: [],
      completed: true,
    });
  });

  it('after a restore, pairs with the restored buffers only', () => {
    const buffer = new WindowJoinBuffer({ windowSizeMs: 1000 });
    const out = { next: () => undefined };
    buffer.add(left(1100, 'a', 'L1'), out);
    const saved = buffer.snapshot();
    buffer.add(left(1200, 'a', 'L2'), out);
    buffer.restore(saved, null);
    expect(show(join([right(1300, 'a', 'R')], buffer).items)).toEqual(['1000:L1+R']);
  });

  it('emits one pair as soon as both sides are in the same window, with the exact row', () => {
    const items = join([left(1000, 'a', 'L'), right(1999, 'a', 'R')]).items.map((item) =>
      item.kind === 'output' ? { kind: item.kind, value: item.value, raw: item.raw } : item,
    );
    expect(items).toEqual([
      {
        kind: 'output',
        raw: undefined,
        value: {
          windowStart: 1000,
          windowEnd: 2000,
          key: 'a',
          left: { name: 'L' },
          right: { name: 'R' },
        },
      },
    ]);
  });

  it("writes a pair's JSON text around the events' texts as they came in", () => {
    const withText = (record: KeyedEvent, raw: Buffer | string): KeyedEvent => ({
      ...record,
      event: { ...record.event, raw },
    });
    const leftText = '{"name":"L","t":1.5}';
    const rightText = ' { "name" : "R\\u0041" } ';
    const items = join([
      withText(keyed(1000, { site: 'x' }, JSON.parse(leftText), 0), leftText),
      withText(keyed(1001, { site: 'x' }, JSON.parse(rightText), 1), Buffer.from(rightText)),
    ]).items;
    expect(items).toHaveLength(1);
    const [output] = items as Extract<RuleEmission, { kind: 'output' }>[];
    expect(output.raw).toBe(
      `{"windowStart":1000,"windowEnd":2000,"key":{"site":"x"},"left":${leftText},"right":${rightText}}`,
    );
    expect(JSON.parse(output.raw as string)).toEqual(output.value);
    // Canonical input texts give exactly the serialisation of the value.
    const canonical = join([
      withText(left(1000, 'a', 'L'), '{"name":"L"}'),
      withText(right(1000, 'a', 'R'), '{"name":"R"}'),
    ]).items[0] as Extract<RuleEmission, { kind: 'output' }>;
    expect(canonical.raw).toBe(JSON.stringify(canonical.value));
  });

  it('keeps only the text of an extracted event: pairs and snapshots parse it, never the event', () => {
    const reads: string[] = [];
    const extracted = (record: KeyedEvent, text: string): KeyedEvent => ({
      ...record,
      event: {
        ...record.event,
        raw: Buffer.from(text),
        fields: {},
        get value() {
          reads.push(text);
          return JSON.parse(text) as unknown;
        },
      },
    });
    const buffer = new WindowJoinBuffer({ windowSizeMs: 1000 });
    const items = join(
      [
        extracted(left(1000, 'a', 'L'), '{"name":"L"}'),
        extracted(right(1500, 'a', 'R'), '{"name":"R"}'),
      ],
      buffer,
    ).items as Extract<RuleEmission, { kind: 'output' }>[];
    expect(items.map((item) => item.raw)).toEqual([
      '{"windowStart":1000,"windowEnd":2000,"key":"a","left":{"name":"L"},"right":{"name":"R"}}',
    ]);
    expect(items[0].value).toEqual(JSON.parse(items[0].raw as string));
    expect(items[0].value).toBe(items[0].value);
    const open = new WindowJoinBuffer({ windowSizeMs: 1000 });
    open.add(extracted(left(1000, 'b', 'L2'), '{"name":"L2"}'), { next: () => undefined });
    expect(open.snapshot()).toEqual([
      { key: 'b', start: 1000, end: 2000, left: [{ name: 'L2' }], right: [] },
    ]);
    expect(reads).toEqual([]);
  });

  it('pairs an event restored from a snapshot (no text kept) by its value alone', () => {
    const buffer = new WindowJoinBuffer({ windowSizeMs: 1000 });
    buffer.add({ ...left(1100, 'a', 'L1') }, { next: () => undefined });
    buffer.restore(buffer.snapshot(), null);
    const arriving = right(1300, 'a', 'R');
    const items = join([{ ...arriving, event: { ...arriving.event, raw: '{"name":"R"}' } }], buffer)
      .items as Extract<RuleEmission, { kind: 'output' }>[];
    expect(items).toHaveLength(1);
    expect(items[0].raw).toBeUndefined();
    expect(show(items)).toEqual(['1000:L1+R']);
  });

  it('emits every pair of a window, in the other side arrival order', () => {
    const items = join([
      left(1, 'a', 'L1'),
      left(2, 'a', 'L2'),
      right(3, 'a', 'R1'),
      left(4, 'a', 'L3'),
    ]).items;
    expect(show(items)).toEqual(['0:L1+R1', '0:L2+R1', '0:L3+R1']);
  });

  it('never pairs different keys or windows, and drops unmatched events when windows close', () => {
    const buffer = new WindowJoinBuffer({ windowSizeMs: 1000 });
    const items = join(
      [left(1, 'a', 'L'), right(2, 'b', 'R'), right(1001, 'a', 'R2'), watermark(END_OF_INPUT)],
      buffer,
    ).items;
    expect(items).toEqual([]);
    expect(buffer.stats()).toEqual({ keys: 0, openWindows: 0, bytes: 0, late: 0 });
  });

  it('joins out-of-order events while their window is open, dead-letters them once closed', () => {
    const items = join([
      right(1500, 'a', 'R'),
      watermark(1200),
      left(1100, 'a', 'L'),
      watermark(2000),
      left(1900, 'a', 'X'),
    ]).items;
    expect(show(items)).toEqual(['1000:L+R', 'late']);
  });

  it('refuses new keys beyond maxKeys with rule-error "state limit"', () => {
    const items = join(
      [left(1, 'a', 'L'), left(2, 'b', 'L')],
      new WindowJoinBuffer({ windowSizeMs: 10, maxKeys: 1 }),
    ).items;
    expect(items).toMatchObject([
      { reason: 'rule-error', detail: 'state limit: 1 keys (maxKeys) hold state' },
    ]);
  });

  it('snapshots buffered events per window and key and restores them', () => {
    const buffer = new WindowJoinBuffer({ windowSizeMs: 1000 });
    join([left(100, 'a', 'L1'), right(1100, 7, 'R1'), watermark(50)], buffer);
    const snapshot = JSON.parse(JSON.stringify(buffer.snapshot())) as unknown;
    expect(snapshot).toEqual([
      { key: 'a', start: 0, end: 1000, left: [{ name: 'L1' }], right: [] },
      { key: 7, start: 1000, end: 2000, left: [], right: [{ name: 'R1' }] },
    ]);
    const restored = new WindowJoinBuffer({ windowSizeMs: 1000 });
    restored.restore(snapshot, 50);
    expect(show(join([right(200, 'a', 'R2'), left(1200, 7, 'L2')], restored).items)).toEqual([
      '0:L1+R2',
      '1000:L2+R1',
    ]);
    expect(() => restored.restore([{ key: 1, start: 0, end: 5 }], null)).toThrow('windowSizeMs');
  });

  it('propagates a source error and unsubscribes on early stop', () => {
    const error = new Error('down');
    expect(
      collect(windowJoin(new WindowJoinBuffer({ windowSizeMs: 10 })), failingAfter([], error))
        .error,
    ).toBe(error);
    const source = new Subject<KeyedStream>();
    windowJoin(new WindowJoinBuffer({ windowSizeMs: 10 }))(source)
      .subscribe()
      .unsubscribe();
    expect(source.observed).toBe(false);
  });

  it('dead-letters events of an unknown input as rule-error', () => {
    expect(join([keyed(1, 'a', {}, 2)]).items).toMatchObject([
      { reason: 'rule-error', detail: 'no input 2' },
    ]);
  });
});
