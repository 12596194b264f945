import { EMPTY, from, Subject, take } from 'rxjs';
import { fusedOperator } from '../operators/fused-observable';
import { collect, failingAfter } from '../testing/events';
import { eventTimeWatermarks } from './event-time-watermarks';
import { timed } from './testing/records';
import { deadLetter, END_OF_INPUT, type TimedStream, type WatermarkedStream } from './types';
import { WatermarkTracker } from './watermark-tracker';

const describeItem = (item: WatermarkedStream): string =>
  item.kind === 'timed'
    ? `e${item.time}`
    : item.kind === 'watermark'
      ? `w${item.time}`
      : item.reason;

describe('eventTimeWatermarks', () => {
  it('emits only the end-of-input watermark for an empty input', () => {
    const result = collect(eventTimeWatermarks(), EMPTY);
    expect(result.items).toEqual([{ kind: 'watermark', time: END_OF_INPUT }]);
    expect(result.completed).toBe(true);
  });

  it('follows a single event with its watermark minus the out-of-orderness', () => {
    const items = collect(
      eventTimeWatermarks(new WatermarkTracker(100)),
      from([timed(1000)]),
    ).items;
    expect(items.map(describeItem)).toEqual(['e1000', 'w900', `w${END_OF_INPUT}`]);
  });

  it('never moves the watermark back for out-of-order events', () => {
    const items = collect(
      eventTimeWatermarks(),
      from([timed(10), timed(30), timed(20), timed(40)]),
    ).items;
    expect(items.map(describeItem)).toEqual([
      'e10',
      'w10',
      'e30',
      'w30',
      'e20',
      'e40',
      'w40',
      'wInfinity',
    ]);
  });

  it('passes dead letters through without touching the watermark', () => {
    const items = collect(
      eventTimeWatermarks(),
      from<TimedStream[]>([deadLetter('late', 'x', 1), timed(5)]),
    ).items;
    expect(items.map(describeItem)).toEqual(['late', 'e5', 'w5', 'wInfinity']);
  });

  it('continues from a restored watermark: late data stays behind it', () => {
    const tracker = new WatermarkTracker(50);
    tracker.restore(1000);
    const items = collect(eventTimeWatermarks(tracker), from([timed(1020), timed(1100)])).items;
    expect(items.map(describeItem)).toEqual(['e1020', 'e1100', 'w1050', 'wInfinity']);
    expect(tracker.current()).toBe(1050);
  });

  it('propagates a source error without flushing windows', () => {
    const error = new Error('down');
    const result = collect(eventTimeWatermarks(), failingAfter([timed(1)], error));
    expect(result.items.map(describeItem)).toEqual(['e1', 'w1']);
    expect(result.error).toBe(error);
  });

  it('does not flush on unsubscribe (a stop keeps the windows for the snapshot)', () => {
    const source = new Subject<TimedStream>();
    const seen: WatermarkedStream[] = [];
    const subscription = eventTimeWatermarks()(source).subscribe((item) => seen.push(item));
    source.next(timed(7));
    subscription.unsubscribe();
    expect(seen.map(describeItem)).toEqual(['e7', 'w7']);
    expect(source.observed).toBe(false);
  });

  it('passes no watermark on to fused stages after the consumer left on the event', () => {
    const source = new Subject<TimedStream>();
    const reachedNext: string[] = [];
    const recorder = fusedOperator<WatermarkedStream, WatermarkedStream>((down) => ({
      next: (item) => {
        reachedNext.push(describeItem(item));
        down.next(item);
      },
      error: (error: unknown) => down.error(error),
      complete: () => down.complete(),
    }));
    const seen: WatermarkedStream[] = [];
    recorder(eventTimeWatermarks()(source))
      .pipe(take(1))
      .subscribe((item) => seen.push(item));
    source.next(timed(7));
    expect(seen.map(describeItem)).toEqual(['e7']);
    expect(reachedNext).toEqual(['e7']);
  });
});

describe('WatermarkTracker', () => {
  it('is null before the first event and rejects a negative bound', () => {
    expect(new WatermarkTracker().current()).toBeNull();
    expect(() => new WatermarkTracker(-1)).toThrow(RangeError);
  });
});
