import type { Observer, OperatorFunction } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { fusedOperator } from '../operators/fused-observable';
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
class ProcessingTimeStage implements Observer<InputEvent> {
  constructor(
    private readonly subscriber: Observer<TimedStream>,
    private readonly clock: Clock,
  ) {}

  next(event: InputEvent): void {
    let time: number;
    try {
      time = this.clock.now();
    } catch (err) {
      // A broken clock breaks every window: fail the rule rather than guess times.
      this.subscriber.error(err);
      return;
    }
    this.subscriber.next(timedEvent(event, time));
  }

  error(err: unknown): void {
    this.subscriber.error(err);
  }

  complete(): void {
    this.subscriber.complete();
  }
}
