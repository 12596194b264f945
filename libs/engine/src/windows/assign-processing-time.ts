import type { OperatorFunction } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { fusedOperator } from '../operators/fused-observable';
import { timedEvent, type Clock, type TimedStream } from './types';

/**
 * Stamps each event with the processing time it is handled at. The clock is the same one the
 * processing-time watermarks read, so an event is never behind the windows it lands in.
 */
export function assignProcessingTime(clock: Clock): OperatorFunction<InputEvent, TimedStream> {
  return fusedOperator<InputEvent, TimedStream>((subscriber) => ({
    next(event) {
      let time: number;
      try {
        time = clock.now();
      } catch (err) {
        // A broken clock breaks every window: fail the rule rather than guess times.
        subscriber.error(err);
        return;
      }
      subscriber.next(timedEvent(event, time));
    },
    error: (err: unknown) => subscriber.error(err),
    complete: () => subscriber.complete(),
  }));
}
