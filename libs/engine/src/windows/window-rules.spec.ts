/**
 * The window templates' edge programs (rule.js composed from this toolkit): snapshot and
 * restore across a stop, metrics, processing time on virtual time, jobProps validation.
 */
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { createProgram, runInputs, split, windowToolkit } from './testing/window-toolkit';

const tumblingSum = {
  aggregate: 'sum',
  fieldJsonPath: '$.v',
  window: { kind: 'tumbling', sizeMs: 1000 },
  timeFieldJsonPath: '$.ts',
  groupByJsonPath: '$.device',
  allowedLatenessMs: 500,
};
const input = (value: unknown, seq: number, which = 0): InputEvent => ({
  value,
  input: which,
  seq,
  arrivedAt: seq,
});

describe('window-aggregation rule program', () => {
  it('carries open windows across a stop (unsubscribe) and a restore elsewhere', async () => {
    const first = createProgram('window-aggregation', tumblingSum);
    const source = new Subject<InputEvent>();
    const seen: RuleEmission[] = [];
    const subscription = first.operator(source).subscribe((item) => seen.push(item));
    source.next(input({ device: 'a', v: 1, ts: 1000 }, 0));
    source.next(input({ device: 'b', v: 2, ts: 2100 }, 1));
    subscription.unsubscribe();
    const snapshot = JSON.parse(JSON.stringify(first.snapshot!())) as ReturnType<
      NonNullable<typeof first.snapshot>
    >;
    expect(snapshot).toEqual({
      watermark: 2100,
      state: {
        windows: [
          // A sum keeps no min and max (see Totals): they snapshot as null.
          { key: 'a', start: 1000, end: 2000, count: 1, sum: 1, min: null, max: null },
          { key: 'b', start: 2000, end: 3000, count: 1, sum: 2, min: null, max: null },
        ],
        countWindows: [],
      },
    });
    expect(first.metrics!()).toMatchObject({ watermark: 2100, stateKeys: 2, openWindows: 2 });

    const moved = createProgram('window-aggregation', tumblingSum);
    moved.restore!(snapshot);
    const result = split(
      await runInputs(moved, [
        { input: 0, event: { device: 'a', v: 5, ts: 1900 } },
        { input: 0, event: { device: 'b', v: 3, ts: 2200 } },
      ]),
    );
    expect(result.outputs).toEqual([
      { windowStart: 1000, windowEnd: 2000, key: 'a', aggregate: 'sum', value: 6, count: 2 },
      { windowStart: 2000, windowEnd: 3000, key: 'b', aggregate: 'sum', value: 5, count: 2 },
    ]);
    expect(seen.map((item) => item.kind === 'output' && item.value)).toEqual([
      { windowStart: 1000, windowEnd: 2000, key: 'a', aggregate: 'sum', value: 1, count: 1 },
    ]);
  });

  it('fires processing-time windows on the injected clock and scheduler', () => {
    const scheduler = new TestScheduler(() => undefined);
    const toolkit = { ...windowToolkit, clock: { now: () => scheduler.now() }, scheduler };
    const program = createProgram(
      'window-aggregation',
      { aggregate: 'count', window: { kind: 'tumbling', time: 'processing', sizeMs: 100 } },
      toolkit,
    );
    const source = new Subject<InputEvent>();
    const seen: unknown[] = [];
    const subscription = program
      .operator(source)
      .subscribe((item) => seen.push(item.kind === 'output' && item.value));
    scheduler.schedule(() => source.next(input({}, 0)), 30);
    scheduler.schedule(() => source.next(input({}, 1)), 60);
    scheduler.schedule(() => source.next(input({}, 2)), 130);
    scheduler.schedule(() => subscription.unsubscribe(), 250);
    scheduler.flush();
    expect(seen).toEqual([
      { windowStart: 0, windowEnd: 100, key: null, aggregate: 'count', value: 2, count: 2 },
      { windowStart: 100, windowEnd: 200, key: null, aggregate: 'count', value: 1, count: 1 },
    ]);
    expect(scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
  });

  it('snapshots count windows and rejects invalid jobProps naming the field', () => {
    const program = createProgram('window-aggregation', {
      aggregate: 'count',
      window: { kind: 'count', size: 3 },
      timeFieldJsonPath: '$.ts',
    });
    program.operator(new Subject<InputEvent>()).subscribe().unsubscribe();
    expect(program.snapshot!()).toEqual({
      watermark: null,
      state: { windows: [], countWindows: [] },
    });
    expect(() =>
      createProgram('window-aggregation', {
        aggregate: 'sum',
        window: { kind: 'tumbling', sizeMs: 1 },
      }),
    ).toThrow('jobProps.fieldJsonPath');
    expect(() =>
      createProgram('window-aggregation', {
        aggregate: 'count',
        window: { kind: 'sliding', sizeMs: 10 },
        timeFieldJsonPath: '$.t',
      }),
    ).toThrow('jobProps.window.slideMs');
    expect(() =>
      createProgram('window-aggregation', {
        aggregate: 'count',
        window: { kind: 'tumbling', sizeMs: 10 },
      }),
    ).toThrow('jobProps.timeFieldJsonPath');
    expect(() =>
      createProgram('window-aggregation', {
        aggregate: 'count',
        window: { kind: 'tumbling', sizeMs: 10 },
        timeFieldJsonPath: 'ts',
      }),
    ).toThrow('jobProps.timeFieldJsonPath');
  });
});

describe('window-join rule program', () => {
  const joinProps = {
    leftKeyJsonPath: '$.id',
    rightKeyJsonPath: '$.deviceId',
    timeFieldJsonPath: '$.ts',
    windowSizeMs: 1000,
  };

  it('carries buffered events across a stop and a restore', async () => {
    const first = createProgram('window-join', joinProps);
    const source = new Subject<InputEvent>();
    first.operator(source).subscribe();
    source.next(input({ id: 'a', ts: 1000 }, 0, 0));
    const snapshot = JSON.parse(JSON.stringify(first.snapshot!())) as ReturnType<
      NonNullable<typeof first.snapshot>
    >;
    source.complete();
    expect(snapshot).toEqual({
      watermark: 1000,
      state: {
        windows: [{ key: 'a', start: 1000, end: 2000, left: [{ id: 'a', ts: 1000 }], right: [] }],
      },
    });
    const moved = createProgram('window-join', joinProps);
    moved.restore!(snapshot);
    const result = split(
      await runInputs(moved, [{ input: 1, event: { deviceId: 'a', ts: 1500 } }]),
    );
    expect(result.outputs).toEqual([
      {
        windowStart: 1000,
        windowEnd: 2000,
        key: 'a',
        left: { id: 'a', ts: 1000 },
        right: { deviceId: 'a', ts: 1500 },
      },
    ]);
    expect(moved.metrics!()).toMatchObject({ stateKeys: 0, openWindows: 0, watermark: 1500 });
  });

  it('rejects invalid jobProps naming the field', () => {
    expect(() => createProgram('window-join', { ...joinProps, windowSizeMs: 0 })).toThrow(
      'jobProps.windowSizeMs',
    );
  });
});
