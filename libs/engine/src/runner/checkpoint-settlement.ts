/**
 * Stateful rules (docs/snapshot-format.md): emissions wait in an outbox that becomes part of
 * the next checkpoint: snapshot (state + outbox + fingerprints of the absorbed, unacked
 * inputs) -> save -> publish the outbox -> confirms -> ack the covered deliveries. Checkpoints
 * run on a timer, early once half the prefetch window waits, and once more at stop. Inputs
 * that come again although the state absorbed them (after a restore, or after the consumer lost
 * its channel) are recognised by fingerprint and acked without being absorbed twice.
 */
import type { Delivery, Headers } from '@ruleshift/broker';
import type { RuleSnapshot } from '@ruleshift/contracts';
import { bodyFingerprint } from './body-fingerprint';
import {
  withoutDeliveryState,
  type CheckpointedSnapshot,
  type DeliveryState,
} from './delivery-checkpoint';
import { FingerprintMultiset } from './fingerprint-multiset';
import type { InputBinding } from './input-binding';
import { sealOutbox, type OutboxMessage } from './outbox';
import { OUTPUT_OPTIONS } from './output-options';
import type { CheckpointStore, RunnerClock } from './runner-deps';
import type { Settlement, SettlementRun } from './settlement';

export interface CheckpointSettlementOptions {
  checkpoints?: CheckpointStore;
  clock: RunnerClock;
  intervalMs: number;
}

export class CheckpointSettlement implements Settlement {
  private run?: SettlementRun;
  /** Emissions since the last checkpoint, published after it is saved. */
  private outbox: OutboxMessage[] = [];
  /** Checkpoints taken in the rule's life (carried in snapshots); part of message ids. */
  private checkpointNumber = 0;
  /** The newest checkpoint saved and published (without its delivery state). */
  private last?: RuleSnapshot;
  private timer: unknown;
  private running?: Promise<void>;
  /** Deliveries absorbed since the last checkpoint took its covered set. */
  private uncoveredCount = 0;
  private earlyAt = Number.POSITIVE_INFINITY;
  /** Set by settle(): the final checkpoint is the last one, nothing triggers another. */
  private stopping = false;

  constructor(private readonly options: CheckpointSettlementOptions) {}

  async begin(run: SettlementRun, restored: DeliveryState): Promise<void> {
    this.run = run;
    this.stopping = false;
    this.outbox = [];
    this.uncoveredCount = 0;
    // Acks come only at checkpoints: checkpoint early once half the prefetch window is
    // waiting, or the broker would stop delivering until the timer fires.
    this.earlyAt = Math.max(1, Math.floor(run.prefetch / 2));
    if (restored.checkpoint !== undefined) this.checkpointNumber = restored.checkpoint;
    for (const [input, fingerprints] of restored.unacked) {
      const binding = run.bindings[input];
      if (binding && fingerprints.length > 0)
        binding.alreadyAbsorbed = FingerprintMultiset.from(fingerprints);
    }
    // The restored checkpoint's outputs may not all have gone out before the crash.
    await this.publishOutbox(restored.outbox);
  }

  subscribed(): void {
    this.schedule();
  }

  readonly channelLost = (binding: InputBinding): void => binding.expectRedeliveries();

  accept(binding: InputBinding, delivery: Delivery): boolean {
    if (!this.absorbedAlready(binding, delivery)) return true;
    this.finish(binding, delivery);
    return false;
  }

  finish(binding: InputBinding, delivery: Delivery): void {
    binding.uncovered = delivery;
    const due = ++this.uncoveredCount >= this.earlyAt;
    if (due && this.running === undefined && !this.stopping) {
      this.options.clock.clearTimeout(this.timer);
      this.onDue();
    }
  }

  output(binding: InputBinding, exchange: string, routingKey: string, body: Buffer): void {
    this.outbox.push({ kind: 'output', input: binding.index, exchange, routingKey, body });
  }

  deadLetter(
    binding: InputBinding,
    exchange: string,
    routingKey: string,
    body: Buffer,
    headers: Headers,
  ): void {
    this.outbox.push({
      kind: 'dead-letter',
      input: binding.index,
      exchange,
      routingKey,
      body,
      headers,
    });
  }

  quiesce(): void {
    this.stopping = true;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  async settle(): Promise<void> {
    await this.running;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.checkpoint();
  }

  stopSnapshot(): RuleSnapshot | undefined {
    return this.last;
  }

  abandon(): void {
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Records the delivery's fingerprint for the next checkpoint, and tells whether it is the
   * redelivery of one the state absorbed already (RabbitMQ returns requeued messages first, in
   * order: the first delivery that is new, or redelivered but not in the set, ends the
   * skipping). A skipped delivery is acked by the next checkpoint; the set outlives
   * checkpoints (they record what is left of it) until it is empty or ended.
   */
  private absorbedAlready(binding: InputBinding, delivery: Delivery): boolean {
    const fingerprint = bodyFingerprint(delivery.body);
    binding.absorbed.add(fingerprint);
    const absorbed = binding.alreadyAbsorbed;
    if (!absorbed) return false;
    if (delivery.redelivered && absorbed.take(fingerprint)) {
      if (absorbed.size === 0) binding.alreadyAbsorbed = undefined;
      return true;
    }
    binding.alreadyAbsorbed = undefined;
    return false;
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(this.onDue, this.options.intervalMs);
  }

  private readonly onDue = (): void => {
    this.timer = undefined;
    this.running = this.checkpoint()
      .then(
        () => undefined,
        () => undefined, // a failed save leaves the inputs unacked; the next checkpoint covers them
      )
      .finally(() => {
        this.running = undefined;
        if (this.run?.isRunning() && !this.stopping && this.timer === undefined) this.schedule();
      });
  };

  /**
   * Snapshot with the outbox and the fingerprints of the covered deliveries, save, publish the
   * outbox, wait for its confirms, then ack the covered deliveries. A crash at any point
   * resumes from the saved checkpoint without absorbing an input twice.
   */
  private async checkpoint(): Promise<void> {
    const run = this.run!;
    const { bindings } = run;
    this.uncoveredCount = 0;
    const covered = bindings.map((binding) => {
      const delivery = binding.uncovered;
      binding.uncovered = undefined;
      return delivery;
    });
    const absorbed = bindings.map((binding) => {
      const fingerprints = binding.absorbed;
      binding.absorbed = new FingerprintMultiset();
      binding.unackedCheckpoints.add(fingerprints);
      // Restored-state inputs not redelivered yet are still absorbed and unacked, and the acks
      // of earlier checkpoints may not have landed: after a crash, RabbitMQ delivers them again,
      // so this checkpoint must recognise them too.
      const awaited = binding.alreadyAbsorbed;
      const all = new FingerprintMultiset();
      all.addAll(fingerprints);
      if (awaited) all.addAll(awaited);
      for (const landing of binding.landingCheckpoints) all.addAll(landing);
      return { fingerprints, all };
    });
    const outbox = this.outbox;
    this.outbox = [];
    const number = this.checkpointNumber + 1;
    const snapshot: CheckpointedSnapshot = {
      ...run.snapshot(),
      checkpoint: number,
      outbox: sealOutbox(run.jobId, number, outbox),
      unackedInputs: absorbed
        .map(({ all }, input) => ({ input, fingerprints: all.entries() }))
        .filter((entry) => entry.fingerprints.length > 0),
    };
    try {
      await this.options.checkpoints?.save(snapshot);
    } catch (error) {
      // Nothing of it left the runner: the next checkpoint covers all of it again.
      absorbed.forEach(({ fingerprints }, i) => {
        const binding = bindings[i];
        // Gone from the set: the consumer lost its channel and expects them redelivered.
        if (!binding.unackedCheckpoints.delete(fingerprints)) return;
        binding.uncovered ??= covered[i];
        fingerprints.addAll(binding.absorbed);
        binding.absorbed = fingerprints;
      });
      this.outbox = outbox.concat(this.outbox);
      throw error;
    }
    this.checkpointNumber = number;
    try {
      await this.publishOutbox(outbox);
    } catch (error) {
      run.publishFailed(error);
    }
    if (!run.isRunning()) return;
    this.last = withoutDeliveryState(snapshot);
    run.checkpointed(this.last);
    absorbed.forEach(({ fingerprints }, i) => {
      const binding = bindings[i];
      const delivery = covered[i];
      // Not in the set: its channel was lost, the broker redelivers them (expectRedeliveries).
      if (binding.unackedCheckpoints.delete(fingerprints) && delivery)
        binding.ackCheckpoint(delivery, fingerprints);
    });
  }

  /** Publishes in order and waits for every confirm; a refused publish rejects. */
  private async publishOutbox(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await Promise.all(messages.map((message) => this.publishOutboxMessage(message)));
  }

  private publishOutboxMessage(message: OutboxMessage): Promise<void> {
    const run = this.run!;
    const { exchange, routingKey, body, messageId } = message;
    if (message.kind === 'output')
      return run.output.publish(exchange, routingKey, body, { ...OUTPUT_OPTIONS, messageId });
    const broker = (run.bindings[message.input] ?? run.bindings[0]).broker;
    return broker.publish(exchange, routingKey, body, {
      persistent: true,
      headers: message.headers,
      messageId,
    });
  }
}
