/**
 * The boundary between the edge engine, the templates' edge artifacts and the agent.
 *
 * A template's edge artifact (`templates/<jobType>/edge/rule.js`) is a plain CommonJS module
 * that the agent downloads (sha256 checked, cached like an OSGi bundle) and `require`s. It
 * exports an EdgeRuleModule; `create` composes the engine's RxJS operators into the rule.
 * The agent never looks inside a rule: it drives a RuleRunner.
 */
import type { OperatorFunction } from 'rxjs';
import type {
  AgentRuleStatus,
  DeadLetterReason,
  RuleConfig,
  RuleMetrics,
  RuleSnapshot,
} from '@ruleshift/contracts';

/** A parsed input event. */
export interface InputEvent {
  readonly value: unknown;
  /** Which input connector it came from (0, or 1 for the second input of a join). */
  readonly input: number;
  /** Arrival order on this rule; acks and per-key order follow it. */
  readonly seq: number;
  /** Processing-time arrival, ms since epoch. */
  readonly arrivedAt: number;
  /**
   * The bytes as received. An operator that forwards the whole event passes them on, so the
   * output is byte-identical to the input and the sink does not serialise it again.
   */
  readonly raw?: Buffer | string;
  /**
   * The members the rule reads (EdgeRuleProgram.fieldPaths), taken from the text in one pass
   * while `value` is parsed only when something asks for it (a dead letter, a forwarded or
   * joined event). Absent when the whole value was parsed. Read with `readField`.
   */
  readonly fields?: unknown;
}

export type RuleEmission =
  | {
      kind: 'output';
      value: unknown;
      raw?: Buffer | string;
      /** The output routing key for this event instead of the connector's (business-rules `route`). */
      routingKey?: string;
    }
  | { kind: 'dead-letter'; reason: DeadLetterReason; detail: string; value: unknown };

/** A rule built by a template: an operator plus optional state handling. */
export interface EdgeRuleProgram {
  /** Synchronous per event for stateless templates; windows may also emit on timers. */
  readonly operator: OperatorFunction<InputEvent, RuleEmission>;
  /**
   * The JSONPaths the operator reads from each event, when it reads nothing else: parsing then
   * extracts just these (see InputEvent.fields). A path left out is still read correctly, from
   * the whole value parsed on demand, only slower.
   */
  readonly fieldPaths?: readonly string[];
  /** Engine-neutral state (JSON only) for checkpoints and moves. Absent when stateless. */
  snapshot?(): Pick<RuleSnapshot, 'watermark' | 'state'>;
  restore?(snapshot: Pick<RuleSnapshot, 'watermark' | 'state'>): void;
  metrics?(): Partial<RuleMetrics>;
}

export interface EdgeRuleModule {
  readonly jobType: string;
  create(config: RuleConfig, engine: EngineToolkit): EdgeRuleProgram;
}

/** What the engine hands to templates (operators, JSONPath compiler, ...). */
export type EngineToolkit = Readonly<Record<string, unknown>>;

/**
 * Runs one rule: consumes its input queue(s), applies the program, publishes outputs with
 * publisher confirms and acks each input only after its outputs are confirmed (or, for
 * stateful rules, after the state that absorbed it is checkpointed). Bad events go to the
 * dead-letter exchange with the reason in headers; the rule keeps running.
 */
export interface RuleRunner {
  readonly jobId: string;
  readonly status: AgentRuleStatus;
  start(snapshot?: RuleSnapshot): Promise<void>;
  /**
   * Cancels the consumer, lets every delivered event finish, waits for their confirms and
   * acks, then returns the final snapshot. After it resolves nothing of this rule consumes.
   */
  stop(): Promise<RuleSnapshot>;
  metrics(): RuleMetrics;
}
