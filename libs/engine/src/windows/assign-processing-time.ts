import type { Observer, OperatorFunction } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { fusedOperator } from '../operators/fused-observable';
import { ForwardingStage } from '../operators/forwarding-stage';
import { timedEvent, type Clock, type TimedStream } from './types';

/**
 * Stamps each event with the processing time it is handled at. The clock is the same one the
 * processing-time watermarks read, so an event is never behind the windows it lands in.
 */
export function assignProcessingTime(clock: Clock): OperatorFunction<InputEvent, TimedStream> {
  return fusedOperator<InputEvent, TimedStream>(
    (subscriber) => new ProcessingTimeStage(subscriber, clock),
  );
}

/** One subscription's stage (a class: see `Stage`). */
class ProcessingTimeStage extends ForwardingStage<InputEvent, TimedStream> {
  constructor(
    downstream: Observer<TimedStream>,
    private readonly clock: Clock,
  ) {
    super(downstream);
  }

  next(event: InputEvent): void {
    let time: number;
    try {
      time = this.clock.now();
    } catch (err) {
      // A broken clock breaks every window: fail the rule rather than guess times.
      this.downstream.error(err);
      return;
    }
    this.downstream.next(timedEvent(event, time));
  }
}
