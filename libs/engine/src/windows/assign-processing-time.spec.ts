import { EMPTY, from, Subject } from 'rxjs';
import { collect, failingAfter } from '../testing/events';
import { assignProcessingTime } from './assign-processing-time';
import { event } from './testing/records';

describe('assignProcessingTime', () => {
  const clockAt = (...times: number[]) => ({ now: () => times.shift() ?? -1 });

  it('passes completion of an empty input', () => {
    expect(collect(assignProcessingTime(clockAt()), EMPTY)).toEqual({ items: [], completed: true });
  });

  it('stamps events with the clock at the time they are handled', () => {
    const items = collect(
      assignProcessingTime(clockAt(10, 20)),
      from([event('a'), event('b')]),
    ).items;
    expect(items.map((item) => item.kind === 'timed' && item.time)).toEqual([10, 20]);
  });

  it('propagates a source error', () => {
    const error = new Error('gone');
    expect(collect(assignProcessingTime(clockAt(1)), failingAfter([event(1)], error)).error).toBe(
      error,
    );
  });

  it('fails the stream when the clock throws (no time, no window)', () => {
    const clock = {
      now: () => {
        throw new Error('no clock');
      },
    };
    const result = collect(assignProcessingTime(clock), from([event(1), event(2)]));
    expect(result.items).toEqual([]);
    expect((result.error as Error).message).toBe('no clock');
  });

  it('unsubscribes upstream on early stop', () => {
    const source = new Subject<ReturnType<typeof event>>();
    const subscription = assignProcessingTime(clockAt(1))(source).subscribe();
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
  });
});
