import type { Observer, OperatorFunction, Subscription } from 'rxjs';
import { fusedOperator } from '../operators/fused-observable';
import { ForwardingStage } from '../operators/forwarding-stage';
import { END_OF_INPUT, type TimedStream, type WatermarkedStream } from './types';
import { WatermarkTracker } from './watermark-tracker';

/**
 * Emits a watermark right after each event that advances it, and the end-of-input watermark
 * (+Infinity) when the source completes, so a bounded input flushes every open window.
 * Unsubscribing (a stop for a move) does not flush: the windows stay in the snapshot.
 */
export function eventTimeWatermarks(
  tracker: WatermarkTracker = new WatermarkTracker(),
): OperatorFunction<TimedStream, WatermarkedStream> {
  return fusedOperator<TimedStream, WatermarkedStream>(
    (subscriber, lifetime) => new EventTimeWatermarkStage(subscriber, lifetime, tracker),
  );
}

/** One subscription's stage (a class: see `Stage`). */
class EventTimeWatermarkStage extends ForwardingStage<TimedStream, WatermarkedStream> {
  constructor(
    downstream: Observer<WatermarkedStream>,
    private readonly lifetime: Subscription,
    private readonly tracker: WatermarkTracker,
  ) {
    super(downstream);
  }

  next(item: TimedStream): void {
    // Read before passing the item on: keyBy turns a timed item into a keyed one in place.
    const timed = item.kind === 'timed';
    const time = timed ? item.time : 0;
    this.downstream.next(item);
    if (!timed) return;
    const advanced = this.tracker.observe(time);
    // A consumer that left while the item went down must not see the watermark: fused
    // stages after this one have no closed subscriber of their own to drop it.
    if (advanced !== null && !this.lifetime.closed)
      this.downstream.next({ kind: 'watermark', time: advanced });
  }

  override complete(): void {
    this.downstream.next({ kind: 'watermark', time: END_OF_INPUT });
    this.downstream.complete();
  }
}
