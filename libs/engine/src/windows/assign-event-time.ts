import type { Observer, OperatorFunction } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { fusedOperator } from '../operators/fused-observable';
import { ForwardingStage } from '../operators/forwarding-stage';
import { readField } from '../operators/read-field';
import { parseTimestamp } from './timestamp';
import { deadLetter, errorMessage, timedEvent, type Accessor, type TimedStream } from './types';
import { missingDetail, TIMESTAMP_TYPE, wrongTypeDetail } from '../operators/dead-letter-detail';

export interface EventTimeOptions {
  /** Reads the timestamp out of an event (compiled `timeFieldJsonPath`). */
  readonly timeOf: Accessor;
  /** The JSONPath, for dead-letter details. */
  readonly path: string;
}

/**
 * Stamps each event with its event time. A missing timestamp is a `missing-field` dead
 * letter, one that is neither a number nor an ISO-8601 date-time is `wrong-type`, and an
 * accessor that throws is a `rule-error`: one bad event never stops the rule.
 */
export function assignEventTime(
  options: EventTimeOptions,
): OperatorFunction<InputEvent, TimedStream> {
  return fusedOperator<InputEvent, TimedStream>(
    (subscriber) => new EventTimeStage(subscriber, options.timeOf, options.path),
  );
}

/** One subscription's stage (a class: see `Stage`). */
class EventTimeStage extends ForwardingStage<InputEvent, TimedStream> {
  constructor(
    downstream: Observer<TimedStream>,
    private readonly timeOf: Accessor,
    private readonly path: string,
  ) {
    super(downstream);
  }

  next(event: InputEvent): void {
    const { downstream: subscriber, path } = this;
    let raw: unknown;
    try {
      raw = readField(this.timeOf, event);
    } catch (err) {
      subscriber.next(
        deadLetter('rule-error', `timestamp ${path}: ${errorMessage(err)}`, event.value),
      );
      return;
    }
    if (raw === undefined) {
      subscriber.next(deadLetter('missing-field', missingDetail(path), event.value));
      return;
    }
    const time = parseTimestamp(raw);
    if (time === null) {
      subscriber.next(
        deadLetter('wrong-type', wrongTypeDetail(path, TIMESTAMP_TYPE, raw), event.value),
      );
      return;
    }
    subscriber.next(timedEvent(event, time));
  }
}
