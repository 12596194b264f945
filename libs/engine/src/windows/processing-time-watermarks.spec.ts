import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { processingTimeWatermarks } from './processing-time-watermarks';
import { timed } from './testing/records';
import type { TimedStream, WatermarkedStream } from './types';

/** Virtual time: the scheduler's frames are the clock's milliseconds. */
function virtualTime() {
  const scheduler = new TestScheduler(() => undefined);
  const clock = { now: () => scheduler.now() };
  return { scheduler, clock };
}

const labels = (items: WatermarkedStream[]) =>
  items.map((item) =>
    item.kind === 'timed'
      ? `e${item.time}`
      : item.kind === 'watermark'
        ? `w${item.time}`
        : item.reason,
  );

describe('processingTimeWatermarks', () => {
  it('emits the clock as watermark at every period boundary, and +Infinity at end of input', () => {
    const { scheduler, clock } = virtualTime();
    const source = new Subject<TimedStream>();
    const seen: WatermarkedStream[] = [];
    processingTimeWatermarks({ periodMs: 100, clock, scheduler })(source).subscribe((item) =>
      seen.push(item),
    );
    scheduler.schedule(() => source.next(timed(150)), 150);
    scheduler.schedule(() => source.complete(), 250);
    scheduler.flush();
    expect(labels(seen)).toEqual(['w100', 'e150', 'w200', 'wInfinity']);
  });

  it('emits nothing but the end watermark for an empty input that ends at once', () => {
    const { scheduler, clock } = virtualTime();
    const seen: WatermarkedStream[] = [];
    const source = new Subject<TimedStream>();
    processingTimeWatermarks({ periodMs: 100, clock, scheduler })(source).subscribe((item) =>
      seen.push(item),
    );
    source.complete();
    scheduler.flush();
    expect(labels(seen)).toEqual(['wInfinity']);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('cancels its timer on unsubscribe (no leak, no late emission)', () => {
    const { scheduler, clock } = virtualTime();
    const source = new Subject<TimedStream>();
    const seen: WatermarkedStream[] = [];
    const subscription = processingTimeWatermarks({ periodMs: 100, clock, scheduler })(
      source,
    ).subscribe((item) => seen.push(item));
    let pendingAfterStop = -1;
    scheduler.schedule(() => {
      subscription.unsubscribe();
      pendingAfterStop = scheduler.actions.filter((action) => !action.closed).length;
    }, 150);
    scheduler.flush();
    expect(labels(seen)).toEqual(['w100']);
    expect(pendingAfterStop).toBe(0);
    expect(source.observed).toBe(false);
  });

  it('propagates a source error and stops ticking', () => {
    const { scheduler, clock } = virtualTime();
    const source = new Subject<TimedStream>();
    let error: unknown;
    processingTimeWatermarks({ periodMs: 100, clock, scheduler })(source).subscribe({
      error: (e: unknown) => (error = e),
    });
    source.error(new Error('down'));
    scheduler.flush();
    expect((error as Error).message).toBe('down');
    expect(scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
  });

  it('errors the stream when the clock throws', () => {
    const { scheduler } = virtualTime();
    let calls = 0;
    const clock = {
      now: () => {
        if (++calls > 1) throw new Error('clock broke');
        return 0;
      },
    };
    let error: unknown;
    processingTimeWatermarks({ periodMs: 100, clock, scheduler })(
      new Subject<TimedStream>(),
    ).subscribe({
      error: (e: unknown) => (error = e),
    });
    scheduler.flush();
    expect((error as Error).message).toBe('clock broke');
  });

  it('rejects a non-positive period', () => {
    expect(() => processingTimeWatermarks({ periodMs: 0 })).toThrow(RangeError);
  });
});
