/**
 * Keeps a rule alive when its operator errors: the event being processed when the error
 * surfaced is dead-lettered ('rule-error') and a fresh instance of the operator is subscribed
 * for the events that follow. Errors of the source itself are not the rule's and pass through.
 */
import {
  Observable,
  Subject,
  type Observer,
  type OperatorFunction,
  type Subscriber,
  type Subscription,
} from 'rxjs';
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
      const rule = new CaughtRule(inner, subscriber);
      rule.connect();
      const sourceSubscription = source.subscribe(rule);
      return () => {
        sourceSubscription.unsubscribe();
        rule.disconnect();
      };
    });
}

/**
 * One subscription: the source's observer, feeding the current instance of the rule. Classes,
 * not closures, so the per-event methods keep their optimised code (see `Stage`).
 */
class CaughtRule implements Observer<InputEvent> {
  private feed = new Subject<InputEvent>();
  private instance: Subscription | undefined;
  private current: InputEvent | undefined;
  private sourceDone = false;

  constructor(
    private readonly inner: OperatorFunction<InputEvent, RuleEmission>,
    readonly subscriber: Subscriber<RuleEmission>,
  ) {}

  connect(): void {
    this.feed = new Subject<InputEvent>();
    this.current = undefined;
    // Called as a plain function, as before: `this` is not the CaughtRule.
    const inner = this.inner;
    this.instance = inner(this.feed).subscribe(new RuleInstanceObserver(this));
  }

  disconnect(): void {
    this.instance?.unsubscribe();
  }

  next(event: InputEvent): void {
    this.current = event;
    this.feed.next(event);
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.sourceDone = true;
    this.feed.complete();
  }

  /** The current instance errored: dead-letter its event and subscribe a fresh one. */
  instanceFailed(error: unknown): void {
    // An instance that fails before seeing any event would fail again on every
    // resubscription: that is a broken template, not a bad event.
    if (this.current === undefined) {
      this.subscriber.error(error);
      return;
    }
    this.subscriber.next(ruleError(error, this.current.value));
    if (this.sourceDone) this.subscriber.complete();
    else this.connect();
  }
}

/** What one instance of the rule emits goes on; its error goes to `instanceFailed`. */
class RuleInstanceObserver implements Observer<RuleEmission> {
  constructor(private readonly rule: CaughtRule) {}

  next(emission: RuleEmission): void {
    this.rule.subscriber.next(emission);
  }

  error(error: unknown): void {
    this.rule.instanceFailed(error);
  }

  complete(): void {
    this.rule.subscriber.complete();
  }
}
