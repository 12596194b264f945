/**
 * Wires parsing to a rule: InputEvents go through the rule's operator, dead letters from
 * parsing bypass it, and both come out in arrival order (the rule is synchronous per event).
 * Completes when the rule's operator completes after the source did (windows flush then).
 */
import { Observable, Subject, type OperatorFunction } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { isDeadLetter, type ParsedInput } from './emissions';

export function applyToEvents(
  operator: OperatorFunction<InputEvent, RuleEmission>,
): OperatorFunction<ParsedInput, RuleEmission> {
  return (source) =>
    new Observable<RuleEmission>((subscriber) => {
      const events = new Subject<InputEvent>();
      const ruleSubscription = operator(events).subscribe(subscriber);
      const sourceSubscription = source.subscribe({
        next(item) {
          if (isDeadLetter(item)) subscriber.next(item);
          else events.next(item);
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          events.complete();
        },
      });
      return () => {
        sourceSubscription.unsubscribe();
        ruleSubscription.unsubscribe();
      };
    });
}
