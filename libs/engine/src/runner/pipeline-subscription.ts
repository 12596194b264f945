/**
 * The rule's operator, subscribed: deliveries go in through `next`, emissions come out through
 * `emit`. A rule made of fused stages is fed by a plain call per event, not through a Subject
 * (no closure, no Subject dispatch per event). Rules never stop: if the pipeline ends (an
 * operator errored or completed), the next event subscribes a fresh instance.
 */
import { Observable, Subject, type Observer, type Subscription } from 'rxjs';
import type { EdgeRuleProgram, InputEvent, RuleEmission } from '../edge-rule';
import { catchRuleErrors } from '../operators/catch-rule-errors';
import { fusedHead, reportUnhandledError, stagesOn } from '../operators/fused-observable';

export class PipelineSubscription {
  /** Where events enter the rule: its first stage, or the Subject it subscribed to. */
  private feed?: Observer<InputEvent>;
  /** Identifies the current instance (its Subject), so the end of a stale one is ignored. */
  private token?: Subject<InputEvent>;
  private subscription?: Subscription;

  constructor(
    private readonly operator: EdgeRuleProgram['operator'],
    private readonly emit: (emission: RuleEmission) => void,
    /** The instance ended by itself; `error` is undefined when it completed. */
    private readonly ended: (error: unknown) => void,
  ) {}

  get connected(): boolean {
    return this.feed !== undefined;
  }

  /**
   * Feeds one event, subscribing first if needed; false when the rule died as it was
   * subscribed. A throw inside the rule's stages is reported as unhandled and the event counts
   * as handled, as when the rule is behind a Subject (whose observers catch and report).
   */
  next(event: InputEvent): boolean {
    const feed = this.feed ?? this.connect();
    if (!feed) return false;
    try {
      feed.next(event);
    } catch (error) {
      reportUnhandledError(error);
    }
    return true;
  }

  /** Subscribes a fresh instance of the rule; returns its feed, or undefined if it died at once. */
  connect(): Observer<InputEvent> | undefined {
    const events = new Subject<InputEvent>();
    const rule = catchRuleErrors(this.operator)(fusedHead(events));
    const stages = stagesOn(rule, events);
    let feed: Observer<InputEvent> = events;
    const pipeline = stages
      ? new Observable<RuleEmission>((subscriber) => {
          feed = stages(subscriber, subscriber);
        })
      : rule;
    this.token = events;
    this.feed = events;
    this.subscription = pipeline.subscribe({
      next: this.emit,
      error: (error: unknown) => this.onEnded(events, error),
      complete: () => this.onEnded(events, undefined),
    });
    if (this.token === events) this.feed = feed;
    return this.feed;
  }

  disconnect(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.token = undefined;
    this.feed = undefined;
  }

  private onEnded(token: Subject<InputEvent>, error: unknown): void {
    if (this.token !== token) return;
    this.token = undefined;
    this.feed = undefined;
    this.subscription = undefined;
    this.ended(error);
  }
}
