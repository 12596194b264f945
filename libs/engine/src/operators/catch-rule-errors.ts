/**
 * Keeps a rule alive when its operator errors: the event being processed when the error
 * surfaced is dead-lettered ('rule-error') and a fresh instance of the operator is subscribed
 * for the events that follow. Errors of the source itself are not the rule's and pass through.
 */
import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { ruleError } from './emissions';
import { isIsolated } from './fused-observable';

export function catchRuleErrors(
  inner: OperatorFunction<InputEvent, RuleEmission>,
): OperatorFunction<InputEvent, RuleEmission> {
  // An isolated operator (perEvent: a throwing step is dead-lettered inside it) never errors
  // on its own, so there is nothing to catch and no reason to add a Subject and two hops.
  if (isIsolated(inner)) return inner;
  return (source) =>
    new Observable<RuleEmission>((subscriber) => {
      let feed = new Subject<InputEvent>();
      let innerSubscription: Subscription | undefined;
      let current: InputEvent | undefined;
      let sourceDone = false;

      const connect = (): void => {
        feed = new Subject<InputEvent>();
        current = undefined;
        innerSubscription = inner(feed).subscribe({
          next: (emission) => subscriber.next(emission),
          error: (error: unknown) => {
            // An instance that fails before seeing any event would fail again on every
            // resubscription: that is a broken template, not a bad event.
            if (current === undefined) {
              subscriber.error(error);
              return;
            }
            subscriber.next(ruleError(error, current.value));
            if (sourceDone) subscriber.complete();
            else connect();
          },
          complete: () => subscriber.complete(),
        });
      };

      connect();
      const sourceSubscription = source.subscribe({
        next(event) {
          current = event;
          feed.next(event);
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          sourceDone = true;
          feed.complete();
        },
      });
      return () => {
        sourceSubscription.unsubscribe();
        innerSubscription?.unsubscribe();
      };
    });
}
