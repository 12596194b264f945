/**
 * Stateless rules: each emission is published at once; a delivery is acked, in delivery order,
 * once it went through the rule and all its publishes are confirmed (AckLedger). Every
 * emission carries a message id derived from its delivery, so the outputs of an input
 * redelivered after a crash or a reconnect have the same ids and can be dropped downstream.
 */
import type { Delivery, Headers, PublishOptions } from '@ruleshift/broker';
import type { RuleSnapshot } from '@ruleshift/contracts';
import type { PendingInput } from './ack-ledger';
import { bodyFingerprint, fingerprintHex } from './body-fingerprint';
import { ConfirmEpoch } from './confirm-epoch';
import type { InputBinding } from './input-binding';
import { OUTPUT_OPTIONS } from './output-options';
import type { Settlement, SettlementRun } from './settlement';

export class StatelessSettlement implements Settlement {
  private run?: SettlementRun;
  /** Publishes made outside a delivery (none today; kept so none is ever left unawaited). */
  private epoch = new ConfirmEpoch();
  private pending?: PendingInput;
  private delivery?: Delivery;
  private input = 0;
  /** What identifies the current delivery in its emissions' ids; computed at its first one. */
  private source?: string;
  private emissionIndex = 0;
  private unattributed = 0;

  begin(run: SettlementRun): Promise<void> {
    this.run = run;
    this.epoch = new ConfirmEpoch();
    return Promise.resolve();
  }

  subscribed(): void {
    for (const binding of this.run!.bindings) binding.ledger.settle();
  }

  accept(binding: InputBinding, delivery: Delivery): boolean {
    this.pending = binding.ledger.track(delivery);
    this.delivery = delivery;
    this.input = binding.input;
    return true;
  }

  finish(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.delivery = undefined;
    this.source = undefined;
    this.emissionIndex = 0;
    pending?.finishProcessing();
  }

  output(_binding: InputBinding, exchange: string, routingKey: string, body: Buffer): void {
    const options: PublishOptions = { ...OUTPUT_OPTIONS, messageId: this.messageId() };
    this.track(this.run!.output.publish(exchange, routingKey, body, options));
  }

  deadLetter(
    binding: InputBinding,
    exchange: string,
    routingKey: string,
    body: Buffer,
    headers: Headers,
  ): void {
    const options: PublishOptions = { persistent: true, headers, messageId: this.messageId() };
    this.track(binding.broker.publish(exchange, routingKey, body, options));
  }

  async settle(): Promise<void> {
    await Promise.all(this.run!.bindings.map((binding) => binding.ledger.whenIdle()));
    await this.epoch.drained();
  }

  stopSnapshot(): RuleSnapshot | undefined {
    return undefined; // taken by the runner at stop: nothing is held back
  }

  quiesce(): void {
    // Nothing is scheduled: publishes follow deliveries.
  }

  abandon(): void {
    for (const binding of this.run?.bindings ?? []) binding.ledger.abandon();
    this.epoch.abandon();
  }

  /**
   * `<jobId>:i<input>:<source>:<n>`: the delivery's own message id when it has one, else a
   * fingerprint of its bytes, and the emission's index within the delivery.
   */
  private messageId(): string {
    const delivery = this.delivery;
    const jobId = this.run!.jobId;
    if (!delivery) return `${jobId}:i-:${this.unattributed++}`;
    this.source ??=
      delivery.messageId !== undefined && delivery.messageId !== ''
        ? `m-${delivery.messageId}`
        : `f-${fingerprintHex(bodyFingerprint(delivery.body))}`;
    return `${jobId}:i${this.input}:${this.source}:${this.emissionIndex++}`;
  }

  private track(confirmation: Promise<void>): void {
    const pending = this.pending;
    if (pending) {
      pending.pending++;
      confirmation.then(pending.confirm, this.onPublishFailed);
    } else {
      this.epoch.pending++;
      confirmation.then(this.epoch.confirm, this.onPublishFailed);
    }
  }

  private readonly onPublishFailed = (error: unknown): void => {
    this.run?.publishFailed(error);
  };
}
