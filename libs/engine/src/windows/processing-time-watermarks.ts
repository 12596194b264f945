import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import {
  END_OF_INPUT,
  systemClock,
  type Clock,
  type TimedStream,
  type WatermarkedStream,
} from './types';
import { WatermarkTracker } from './watermark-tracker';
import { ForwardingStage } from '../operators/forwarding-stage';

export interface ProcessingTimeOptions {
  /** Windows end on multiples of this (the slide, or the size of tumbling windows). */
  readonly periodMs: number;
  readonly clock?: Clock;
  /** Timers run here; tests pass a TestScheduler so time is virtual. */
  readonly scheduler?: SchedulerLike;
  readonly tracker?: WatermarkTracker;
}

/**
 * Processing-time windows fire on timers, not on events: one timer at each multiple of
 * `periodMs` (epoch-aligned, where window ends are) emits the clock as the watermark. Only
 * one timer is pending at a time and it is cancelled when the subscriber leaves.
 */
export function processingTimeWatermarks(
  options: ProcessingTimeOptions,
): OperatorFunction<TimedStream, WatermarkedStream> {
  const { periodMs, clock = systemClock, scheduler = asyncScheduler } = options;
  const tracker = options.tracker ?? new WatermarkTracker();
  if (!Number.isFinite(periodMs) || periodMs <= 0) throw new RangeError('periodMs must be > 0');
  return (source) =>
    new Observable<WatermarkedStream>((subscriber) => {
      let timer: Subscription | undefined;
      const scheduleNext = (): void => {
        const now = clock.now();
        const sincePeriodStart = ((now % periodMs) + periodMs) % periodMs;
        timer = scheduler.schedule(tick, periodMs - sincePeriodStart);
      };
      function tick(): void {
        try {
          const advanced = tracker.advanceTo(clock.now());
          if (advanced !== null) subscriber.next({ kind: 'watermark', time: advanced });
          if (!subscriber.closed) scheduleNext();
        } catch (err) {
          subscriber.error(err);
        }
      }
      const upstream = source.subscribe(new EventsThrough(subscriber));
      try {
        if (!subscriber.closed) scheduleNext();
      } catch (err) {
        subscriber.error(err);
      }
      return () => {
        timer?.unsubscribe();
        upstream.unsubscribe();
      };
    });
}

/** Events pass through; completion adds the end-of-input watermark (a class: see `Stage`). */
class EventsThrough extends ForwardingStage<TimedStream, WatermarkedStream> {
  next(item: TimedStream): void {
    this.downstream.next(item);
  }

  override complete(): void {
    this.downstream.next({ kind: 'watermark', time: END_OF_INPUT });
    this.downstream.complete();
  }
}
