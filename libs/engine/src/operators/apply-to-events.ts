/**
 * Wires parsing to a rule: InputEvents go through the rule's operator, dead letters from
 * parsing bypass it, and both come out in arrival order (the rule is synchronous per event).
 * Completes when the rule's operator completes after the source did (windows flush then).
 *
 * When the rule is made of the engine's fused operators, it runs as stages of the same chain
 * as parsing (one subscription, no Subject); any other rule is fed through a Subject.
 */
import { Subject, type Observer, type OperatorFunction, type Subscription } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { isDeadLetter, type ParsedInput } from './emissions';
import { fuse, fusedHead, stagesOn } from './fused-observable';
import { ForwardingStage } from './forwarding-stage';

export function applyToEvents(
  operator: OperatorFunction<InputEvent, RuleEmission>,
): OperatorFunction<ParsedInput, RuleEmission> {
  return (source) =>
    fuse<ParsedInput, RuleEmission>(source, (downstream, lifetime) => {
      const events = new Subject<InputEvent>();
      const rule = operator(fusedHead(events));
      const stages = stagesOn(rule, events);
      const feed = stages
        ? stages(downstream, lifetime)
        : subscribeRule(rule, events, downstream, lifetime);
      return new ApplyStage(downstream, feed);
    });
}

/** Dead letters from parsing go around the rule (a class: see `Stage`). */
class ApplyStage extends ForwardingStage<ParsedInput, RuleEmission> {
  constructor(
    downstream: Observer<RuleEmission>,
    private readonly feed: Observer<InputEvent>,
  ) {
    super(downstream);
  }

  next(item: ParsedInput): void {
    if (isDeadLetter(item)) this.downstream.next(item);
    else this.feed.next(item);
  }

  /** The rule completes its output after its own flush (windows fire at end of input). */
  override complete(): void {
    this.feed.complete();
  }
}

function subscribeRule(
  rule: ReturnType<OperatorFunction<InputEvent, RuleEmission>>,
  events: Subject<InputEvent>,
  downstream: Observer<RuleEmission>,
  lifetime: Subscription,
): Observer<InputEvent> {
  lifetime.add(rule.subscribe(downstream));
  return events;
}
