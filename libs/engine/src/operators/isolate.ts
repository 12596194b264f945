/**
 * Runs a template's per-event step so that a throw dead-letters that event ('rule-error')
 * instead of ending the stream. The step may return one emission, several, or none.
 */
import { Observable, type Observer, type OperatorFunction, type Subscriber } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { ruleError } from './emissions';

export type RuleStep = (
  event: InputEvent,
) => RuleEmission | readonly RuleEmission[] | null | undefined;

export function isolate(step: RuleStep): OperatorFunction<InputEvent, RuleEmission> {
  return (source) =>
    new Observable<RuleEmission>((subscriber) =>
      source.subscribe(new IsolatedStep(step, subscriber)),
    );
}

/** One subscription (a class: see `Stage`). */
class IsolatedStep implements Observer<InputEvent> {
  constructor(
    private readonly step: RuleStep,
    private readonly subscriber: Subscriber<RuleEmission>,
  ) {}

  next(event: InputEvent): void {
    const { step, subscriber } = this;
    let result: ReturnType<RuleStep>;
    try {
      result = step(event);
    } catch (error) {
      subscriber.next(ruleError(error, event.value));
      return;
    }
    if (result === null || result === undefined) return;
    if (!isEmissionList(result)) {
      subscriber.next(result);
      return;
    }
    for (const emission of result) {
      if (subscriber.closed) return;
      subscriber.next(emission);
    }
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }
}

const isEmissionList = (
  result: RuleEmission | readonly RuleEmission[],
): result is readonly RuleEmission[] => Array.isArray(result);
