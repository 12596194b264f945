/**
 * How a running rule settles its deliveries: when its emissions are published and its inputs
 * acked. Two strategies: a stateless rule publishes at once and acks each input once its
 * publishes are confirmed (StatelessSettlement); a stateful rule holds its emissions in an
 * outbox that a checkpoint saves with the state before publishing it and acking the inputs the
 * checkpoint covers (CheckpointSettlement).
 *
 * The runner calls, per delivery and synchronously: `accept`, then `output` / `deadLetter` for
 * each emission, then `finish`. These calls are on the hot path: no closure or promise per call.
 */
import type { BrokerConnection, Delivery, Headers } from '@ruleshift/broker';
import type { RuleSnapshot } from '@ruleshift/contracts';
import type { DeliveryState } from './delivery-checkpoint';
import type { InputBinding } from './input-binding';

/** What a strategy needs from the run it settles. */
export interface SettlementRun {
  readonly jobId: string;
  readonly bindings: readonly InputBinding[];
  readonly output: BrokerConnection;
  /** Unacked deliveries each consumer may hold. */
  readonly prefetch: number;
  /** The rule's state as of now. */
  snapshot(): RuleSnapshot;
  /** A checkpoint was saved and published: what a restart after a failure resumes from. */
  checkpointed(snapshot: RuleSnapshot): void;
  /** A publish was refused or a confirm lost: the rule fails. */
  publishFailed(error: unknown): void;
  /** False once the rule failed or stopped: nothing is acked or scheduled any more. */
  isRunning(): boolean;
}

export interface Settlement {
  /**
   * Prepares a run before its consumers subscribe: what the restored snapshot says was
   * absorbed but not acked, and its outbox to publish again (a refused publish throws).
   */
  begin(run: SettlementRun, restored: DeliveryState): Promise<void>;
  /** The consumers are subscribed. */
  subscribed(): void;
  /** The consumer of `binding` lost its channel (see ConsumeOptions.onChannelLost), if handled. */
  readonly channelLost?: (binding: InputBinding) => void;
  /** Whether the delivery goes through the rule (false: its effect is in the state already). */
  accept(binding: InputBinding, delivery: Delivery): boolean;
  /** The accepted delivery went through the rule; every emission it made was handed over. */
  finish(binding: InputBinding, delivery: Delivery): void;
  output(binding: InputBinding, exchange: string, routingKey: string, body: Buffer): void;
  deadLetter(
    binding: InputBinding,
    exchange: string,
    routingKey: string,
    body: Buffer,
    headers: Headers,
  ): void;
  /** The rule is stopping (its consumers are being cancelled): start nothing new. */
  quiesce(): void;
  /** At stop, once no delivery comes any more: publishes and acks everything processed. */
  settle(): Promise<void>;
  /** The snapshot a stop hands back, when the strategy took it (its last checkpoint). */
  stopSnapshot(): RuleSnapshot | undefined;
  /** The rule failed: wait for nothing more (unconfirmed publishes, timers). */
  abandon(): void;
}
