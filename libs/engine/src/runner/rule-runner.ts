/**
 * Drives one edge rule on the broker (see RuleRunner in edge-rule.ts for the contract).
 *
 * Hot path per delivery, all synchronous so per-key order is arrival order: parse -> rule
 * operator -> publish each emission. Emissions during a delivery belong to it: a stateless
 * rule publishes them at once and acks the delivery once they are confirmed. A stateful rule
 * holds them in an outbox that becomes part of the next checkpoint: save -> publish the outbox
 * -> confirms -> ack the covered deliveries, and remembers the fingerprints of the deliveries a
 * checkpoint covers so their redelivery after a crash is not absorbed twice
 * (docs/snapshot-format.md). No closure or promise is created per event beyond the broker's
 * own publish promise.
 */
import type { BrokerConnection, Delivery, PublishOptions } from '@ruleshift/broker';
import {
  Conflict,
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_HEADERS,
  type AgentRuleStatus,
  type RuleConfig,
  type RuleMetrics,
  type RuleSnapshot,
} from '@ruleshift/contracts';
import { Observable, Subject, type Observer, type Subscription } from 'rxjs';
import type {
  EdgeRuleModule,
  EdgeRuleProgram,
  InputEvent,
  RuleEmission,
  RuleRunner,
} from '../edge-rule';
import { catchRuleErrors } from '../operators/catch-rule-errors';
import {
  describeError,
  isDeadLetter,
  ruleError,
  type DeadLetterEmission,
} from '../operators/emissions';
import { fusedHead, reportUnhandledError, stagesOn } from '../operators/fused-observable';
import { parseBody } from '../operators/parse-json';
import { engineToolkit } from '../toolkit';
import type { PendingInput } from './ack-ledger';
import { bodyFingerprint, fingerprintHex } from './body-fingerprint';
import { ConfirmEpoch } from './confirm-epoch';
import {
  deliveryStateOf,
  withoutDeliveryState,
  type CheckpointedSnapshot,
  type DeliveryState,
} from './delivery-checkpoint';
import { FingerprintMultiset } from './fingerprint-multiset';
import { InputBinding, inputConnectors } from './input-binding';
import { sealOutbox, type OutboxMessage } from './outbox';
import {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_PREFETCH,
  systemRunnerClock,
  type RuleRunnerDeps,
  type RunnerClock,
} from './runner-deps';

const OUTPUT_OPTIONS: PublishOptions = Object.freeze({
  persistent: true,
  contentType: 'application/json',
});

export function createRuleRunner(
  module: EdgeRuleModule,
  config: RuleConfig,
  deps: RuleRunnerDeps,
): RuleRunner {
  return new EdgeRuleRunner(module, config, deps);
}

class EdgeRuleRunner implements RuleRunner {
  readonly jobId: string;
  private currentStatus: AgentRuleStatus = 'INSTALLED';
  private readonly program: EdgeRuleProgram;
  private readonly stateful: boolean;
  private readonly clock: RunnerClock;
  private readonly checkpointIntervalMs: number;

  private bindings: InputBinding[] = [];
  private output?: BrokerConnection;
  /** Where deliveries enter the rule: its first stage, or the Subject it subscribed to. */
  private feed?: Observer<InputEvent>;
  /** Identifies the current pipeline instance (its Subject), so a stale end is ignored. */
  private feedToken?: Subject<InputEvent>;
  private pipeline?: Subscription;
  private epoch = new ConfirmEpoch();
  private seq = 0;
  private firstStart = true;
  private lastSnapshot?: RuleSnapshot;
  /** Stateful rules: emissions since the last checkpoint, published after it is saved. */
  private outbox: OutboxMessage[] = [];
  /** Checkpoints taken in the rule's life (carried in snapshots); part of message ids. */
  private checkpointNumber = 0;

  // The delivery being processed; emissions made meanwhile are attributed to it.
  private currentBinding?: InputBinding;
  private currentDelivery?: Delivery;
  private currentPending?: PendingInput;
  /** Stateless rules: what identifies the current delivery in its outputs' message ids. */
  private currentSource?: string;
  private emissionIndex = 0;

  private checkpointTimer: unknown;
  private checkpointRun?: Promise<void>;
  /** Stateful rules: deliveries absorbed since the last checkpoint took its covered set. */
  private uncoveredCount = 0;
  private earlyCheckpointAt = Number.POSITIVE_INFINITY;
  /** Set by stop(): the final checkpoint is the last one, nothing triggers another. */
  private stopping = false;
  private failureReason?: string;
  private failureWaiters: (() => void)[] = [];
  /** Set by fail(): the consumers closing, so their unsettled deliveries return to the queue. */
  private releasing?: Promise<void>;

  private eventsIn = 0;
  private eventsOut = 0;
  private readonly deadLettered: Record<string, number> = {};

  constructor(
    module: EdgeRuleModule,
    private readonly config: RuleConfig,
    private readonly deps: RuleRunnerDeps,
  ) {
    this.jobId = config.jobId;
    this.program = module.create(config, engineToolkit);
    this.stateful = typeof this.program.snapshot === 'function';
    this.clock = deps.clock ?? systemRunnerClock;
    this.checkpointIntervalMs = deps.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  }

  get status(): AgentRuleStatus {
    return this.currentStatus;
  }

  async start(snapshot?: RuleSnapshot): Promise<void> {
    if (this.currentStatus === 'RUNNING')
      throw new Conflict('jobId', `rule ${this.jobId} is already running`);
    // A failed run's consumers must be gone before a new one subscribes: two consumers on
    // one queue would interleave deliveries and break per-key order.
    await this.releasing;
    this.releasing = undefined;
    this.failureReason = undefined;
    this.stopping = false;
    this.outbox = [];
    const restored = await this.restoreState(snapshot);
    try {
      const connectors = this.config.connectors;
      const prefetch = connectors.prefetch ?? DEFAULT_PREFETCH;
      // A stateful rule acks only at checkpoints: checkpoint early once half the prefetch window
      // is waiting, or the broker would stop delivering until the timer fires.
      this.earlyCheckpointAt = Math.max(1, Math.floor(prefetch / 2));
      this.output = await this.deps.brokers.get(connectors.outputEndpoint);
      this.bindings = [];
      for (const [index, connector] of inputConnectors(connectors).entries()) {
        this.bindings.push(
          new InputBinding(index, connector, await this.deps.brokers.get(connector.endpoint)),
        );
      }
      this.epoch = new ConfirmEpoch();
      for (const [input, fingerprints] of restored.unacked) {
        const binding = this.bindings[input];
        if (binding && fingerprints.length > 0)
          binding.alreadyAbsorbed = FingerprintMultiset.from(fingerprints);
      }
      // The restored checkpoint's outputs may not all have gone out before the crash.
      await this.publishOutbox(restored.outbox, true);
      this.currentStatus = 'RUNNING';
      this.connectPipeline();
      for (const binding of this.bindings) {
        const handler = (delivery: Delivery): void => this.onDelivery(binding, delivery);
        binding.consumer = await binding.broker.consume(binding.connector.queue, handler, {
          prefetch,
          onChannelLost: this.stateful ? binding.expectRedeliveries : undefined,
        });
        // Failed while subscribing (a refused publish of an early delivery): release this one too.
        if (this.currentStatus !== 'RUNNING') throw new Error(this.failureReason);
        binding.ledger.settle();
      }
      if (this.stateful) this.scheduleCheckpoint();
    } catch (error) {
      this.fail(`cannot start: ${describeError(error)}`);
      await this.closeConsumers();
      throw error;
    }
  }

  async stop(): Promise<RuleSnapshot> {
    if (this.currentStatus !== 'RUNNING') {
      await this.releasing;
      await this.closeConsumers();
      return this.lastSnapshot ?? this.takeSnapshot();
    }
    this.clock.clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.stopping = true;
    await Promise.all(
      this.bindings.map((binding) =>
        (binding.consumer?.cancel() ?? Promise.resolve()).catch((error: unknown) =>
          this.fail(`cannot cancel the consumer: ${describeError(error)}`),
        ),
      ),
    );
    // Processing is synchronous, so every delivered event has been through the rule by now.
    const settled = this.stateful ? this.finalCheckpoint() : this.settleStateless();
    try {
      await Promise.race([settled, this.whenFailed()]);
    } catch (error) {
      // The final checkpoint was not saved: its inputs stay unacked and return to the queue.
      this.fail(`final checkpoint failed: ${describeError(error)}`);
      await this.closeConsumers();
      throw error;
    } finally {
      this.failureWaiters = [];
    }
    const snapshot = this.stateful && this.lastSnapshot ? this.lastSnapshot : this.takeSnapshot();
    this.lastSnapshot = snapshot;
    this.disconnectPipeline();
    await this.closeConsumers();
    if (this.currentStatus === 'RUNNING') this.currentStatus = 'STOPPED';
    return snapshot;
  }

  metrics(): RuleMetrics {
    return {
      ...this.program.metrics?.(),
      eventsIn: this.eventsIn,
      eventsOut: this.eventsOut,
      deadLettered: { ...this.deadLettered },
    };
  }

  private async restoreState(snapshot: RuleSnapshot | undefined): Promise<DeliveryState> {
    let source = snapshot;
    if (!source && this.firstStart && this.deps.checkpoints)
      source = await this.deps.checkpoints.load(this.jobId);
    // A restarted rule gets back what it had at stop: its operator subscription is new.
    if (!source && !this.firstStart) source = this.lastSnapshot;
    this.firstStart = false;
    if (source && this.program.restore)
      this.program.restore({ watermark: source.watermark, state: source.state });
    const delivery = deliveryStateOf(source);
    if (delivery.checkpoint !== undefined) this.checkpointNumber = delivery.checkpoint;
    return delivery;
  }

  // --- data plane -----------------------------------------------------------------------

  private onDelivery(binding: InputBinding, delivery: Delivery): void {
    if (this.currentStatus !== 'RUNNING') return; // failed: the closed channel requeues it
    if (this.stateful && this.absorbedAlready(binding, delivery)) {
      this.absorbUncovered(binding, delivery);
      return;
    }
    this.eventsIn++;
    const pending = this.stateful ? undefined : binding.ledger.track(delivery);
    this.currentBinding = binding;
    this.currentDelivery = delivery;
    this.currentPending = pending;
    const parsed = parseBody(delivery.body, binding.index, this.seq++, this.clock.now());
    if (isDeadLetter(parsed)) {
      this.emit(parsed);
    } else {
      const feed = this.feed ?? this.connectPipeline();
      if (feed) this.feedRule(feed, parsed);
      else this.emit(ruleError(new Error('the rule cannot be subscribed'), parsed.value));
    }
    this.currentBinding = undefined;
    this.currentDelivery = undefined;
    this.currentPending = undefined;
    this.currentSource = undefined;
    this.emissionIndex = 0;
    if (pending) pending.finishProcessing();
    else this.absorbUncovered(binding, delivery);
  }

  private absorbUncovered(binding: InputBinding, delivery: Delivery): void {
    binding.uncovered = delivery;
    const due = ++this.uncoveredCount >= this.earlyCheckpointAt;
    if (due && this.checkpointRun === undefined && !this.stopping) {
      this.clock.clearTimeout(this.checkpointTimer);
      this.onCheckpointDue();
    }
  }

  /**
   * Stateful rules: records the delivery's fingerprint for the next checkpoint, and tells
   * whether it is the redelivery of one the restored state absorbed already (RabbitMQ returns
   * requeued messages first, in order: the first delivery that is new, or redelivered but not
   * in the set, ends the skipping). A skipped delivery is acked by the next checkpoint; the
   * set outlives checkpoints (they record what is left of it) until it is empty or ended.
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

  /**
   * A throw inside the rule's stages is reported as unhandled and the delivery settles, as
   * when the rule was behind a Subject (whose observers catch and report the same way).
   */
  private feedRule(feed: Observer<InputEvent>, event: InputEvent): void {
    try {
      feed.next(event);
    } catch (error) {
      reportUnhandledError(error);
    }
  }

  private readonly emit = (emission: RuleEmission): void => {
    if (emission.kind === 'output') this.publishOutput(emission.value, emission.raw);
    else this.publishDeadLetter(emission);
  };

  private publishOutput(value: unknown, raw: Buffer | string | undefined): void {
    let body: Buffer;
    try {
      body =
        raw === undefined
          ? Buffer.from(JSON.stringify(value) ?? 'null')
          : Buffer.isBuffer(raw)
            ? raw
            : Buffer.from(raw);
    } catch (error) {
      this.publishDeadLetter(ruleError(error, undefined));
      return;
    }
    this.eventsOut++;
    const { outputExchange, outputRoutingKey } = this.config.connectors;
    if (this.stateful) {
      const input = this.currentBinding?.index ?? 0;
      this.outbox.push({
        kind: 'output',
        input,
        exchange: outputExchange,
        routingKey: outputRoutingKey,
        body,
      });
      return;
    }
    this.track(
      this.output!.publish(outputExchange, outputRoutingKey, body, {
        ...OUTPUT_OPTIONS,
        messageId: this.statelessMessageId(),
      }),
    );
  }

  private publishDeadLetter(letter: DeadLetterEmission): void {
    this.deadLettered[letter.reason] = (this.deadLettered[letter.reason] ?? 0) + 1;
    const delivery = this.currentDelivery;
    const binding = this.currentBinding ?? this.bindings[0];
    const headers: Record<string, unknown> = {
      [DEAD_LETTER_HEADERS.reason]: letter.reason,
      [DEAD_LETTER_HEADERS.detail]: letter.detail,
      [DEAD_LETTER_HEADERS.jobId]: this.jobId,
    };
    if (delivery) {
      headers[DEAD_LETTER_HEADERS.sourceExchange] = delivery.exchange;
      headers[DEAD_LETTER_HEADERS.sourceRoutingKey] = delivery.routingKey;
    }
    // The original bytes when the letter belongs to a delivery, so it can be replayed as is.
    const body = delivery ? delivery.body : Buffer.from(safeStringify(letter.value));
    const exchange = this.config.deadLetterExchange || DEAD_LETTER_EXCHANGE;
    if (this.stateful) {
      const input = binding.index;
      this.outbox.push({
        kind: 'dead-letter',
        input,
        exchange,
        routingKey: this.jobId,
        body,
        headers,
      });
      return;
    }
    this.track(
      binding.broker.publish(exchange, this.jobId, body, {
        persistent: true,
        headers,
        messageId: this.statelessMessageId(),
      }),
    );
  }

  /**
   * A stateless emission's id: the rule, the input, the delivery (its message id, or else a
   * fingerprint of its bytes) and the emission's index within it. A redelivered input (crash,
   * reconnect) gets the same ids again, so downstream can drop what it already has.
   */
  private statelessMessageId(): string {
    const delivery = this.currentDelivery;
    if (!delivery) return `${this.jobId}:i-:${this.seq}:${this.emissionIndex++}`;
    this.currentSource ??=
      delivery.messageId !== undefined && delivery.messageId !== ''
        ? `m-${delivery.messageId}`
        : `f-${fingerprintHex(bodyFingerprint(delivery.body))}`;
    const input = this.currentBinding?.index ?? 0;
    return `${this.jobId}:i${input}:${this.currentSource}:${this.emissionIndex++}`;
  }

  private track(confirmation: Promise<void>): void {
    const pending = this.currentPending;
    if (pending) {
      pending.pending++;
      confirmation.then(pending.confirm, this.onPublishFailed);
    } else {
      this.epoch.pending++;
      confirmation.then(this.epoch.confirm, this.onPublishFailed);
    }
  }

  private readonly onPublishFailed = (error: unknown): void => {
    this.fail(`publish failed: ${describeError(error)}`);
  };

  /** Subscribes a fresh instance of the rule; returns its feed, or undefined if it died at once. */
  private connectPipeline(): Observer<InputEvent> | undefined {
    const events = new Subject<InputEvent>();
    const rule = catchRuleErrors(this.program.operator)(fusedHead(events));
    // A rule made of fused stages is fed by a plain call per delivery, not through the Subject.
    const stages = stagesOn(rule, events);
    let feed: Observer<InputEvent> = events;
    const pipeline = stages
      ? new Observable<RuleEmission>((subscriber) => {
          feed = stages(subscriber, subscriber);
        })
      : rule;
    this.feedToken = events;
    this.feed = events;
    this.pipeline = pipeline.subscribe({
      next: this.emit,
      error: (error: unknown) => this.onPipelineEnded(events, error),
      complete: () => this.onPipelineEnded(events, undefined),
    });
    if (this.feedToken === events) this.feed = feed;
    return this.feed;
  }

  /** The rule ended on its own; the next delivery subscribes a fresh one (rules never stop). */
  private onPipelineEnded(token: Subject<InputEvent>, error: unknown): void {
    if (this.feedToken !== token) return;
    this.feedToken = undefined;
    this.feed = undefined;
    this.pipeline = undefined;
    if (error !== undefined && this.currentDelivery) {
      this.emit(ruleError(error, undefined));
    }
  }

  private disconnectPipeline(): void {
    this.pipeline?.unsubscribe();
    this.pipeline = undefined;
    this.feedToken = undefined;
    this.feed = undefined;
  }

  // --- settling -------------------------------------------------------------------------

  private async settleStateless(): Promise<void> {
    await Promise.all(this.bindings.map((binding) => binding.ledger.whenIdle()));
    await this.epoch.drained();
  }

  private scheduleCheckpoint(): void {
    this.checkpointTimer = this.clock.setTimeout(this.onCheckpointDue, this.checkpointIntervalMs);
  }

  private readonly onCheckpointDue = (): void => {
    this.checkpointTimer = undefined;
    this.checkpointRun = this.checkpoint()
      .then(
        () => undefined,
        () => undefined, // a failed save leaves the inputs unacked; the next checkpoint covers them
      )
      .finally(() => {
        this.checkpointRun = undefined;
        if (
          this.currentStatus === 'RUNNING' &&
          !this.stopping &&
          this.checkpointTimer === undefined
        )
          this.scheduleCheckpoint();
      });
  };

  private async finalCheckpoint(): Promise<void> {
    await this.checkpointRun;
    this.clock.clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await this.checkpoint();
  }

  /**
   * Snapshot with the outbox and the fingerprints of the covered deliveries, save, publish the
   * outbox, wait for its confirms, then ack the covered deliveries. A crash at any point
   * resumes from the saved checkpoint without absorbing an input twice.
   */
  private async checkpoint(): Promise<void> {
    this.uncoveredCount = 0;
    const covered = this.bindings.map((binding) => {
      const delivery = binding.uncovered;
      binding.uncovered = undefined;
      return delivery;
    });
    const absorbed = this.bindings.map((binding) => {
      const fingerprints = binding.absorbed;
      binding.absorbed = new FingerprintMultiset();
      binding.unackedCheckpoints.add(fingerprints);
      // Restored-state inputs not redelivered yet are still absorbed and unacked: this
      // checkpoint must recognise them too, should RabbitMQ deliver them only after it.
      const awaited = binding.alreadyAbsorbed;
      const covered = new FingerprintMultiset();
      covered.addAll(fingerprints);
      if (awaited) covered.addAll(awaited);
      return { fingerprints, covered };
    });
    const outbox = this.outbox;
    this.outbox = [];
    const number = this.checkpointNumber + 1;
    const snapshot: CheckpointedSnapshot = {
      ...this.takeSnapshot(),
      checkpoint: number,
      outbox: sealOutbox(this.jobId, number, outbox),
      unackedInputs: absorbed
        .map(({ covered }, input) => ({ input, fingerprints: covered.entries() }))
        .filter((entry) => entry.fingerprints.length > 0),
    };
    try {
      await this.deps.checkpoints?.save(snapshot);
    } catch (error) {
      // Nothing of it left the runner: the next checkpoint covers all of it again.
      absorbed.forEach(({ fingerprints }, i) => {
        const binding = this.bindings[i];
        // Gone from the set: the consumer was re-attached and now expects them redelivered.
        if (!binding.unackedCheckpoints.delete(fingerprints)) return;
        binding.uncovered ??= covered[i];
        fingerprints.addAll(binding.absorbed);
        binding.absorbed = fingerprints;
      });
      this.outbox = outbox.concat(this.outbox);
      throw error;
    }
    this.checkpointNumber = number;
    await this.publishOutbox(outbox, false);
    if (this.currentStatus === 'FAILED') return;
    this.lastSnapshot = withoutDeliveryState(snapshot);
    absorbed.forEach(({ fingerprints }, i) => {
      const binding = this.bindings[i];
      const delivery = covered[i];
      // Not in the set: its channel was lost, the broker redelivers them (expectRedeliveries).
      if (binding.unackedCheckpoints.delete(fingerprints) && delivery) binding.ack(delivery, true);
    });
  }

  /** Publishes in order and waits for every confirm; a refused publish fails the rule. */
  private async publishOutbox(messages: OutboxMessage[], rethrow: boolean): Promise<void> {
    if (messages.length === 0) return;
    const confirms = messages.map((message) => this.publishOutboxMessage(message));
    try {
      await Promise.all(confirms);
    } catch (error) {
      if (rethrow) throw error;
      this.onPublishFailed(error);
    }
  }

  private publishOutboxMessage(message: OutboxMessage): Promise<void> {
    const { exchange, routingKey, body, messageId } = message;
    if (message.kind === 'output')
      return this.output!.publish(exchange, routingKey, body, { ...OUTPUT_OPTIONS, messageId });
    const broker = (this.bindings[message.input] ?? this.bindings[0]).broker;
    return broker.publish(exchange, routingKey, body, {
      persistent: true,
      headers: message.headers,
      messageId,
    });
  }

  private takeSnapshot(): RuleSnapshot {
    const programState = this.program.snapshot?.() ?? { watermark: null, state: null };
    return {
      format: 'ruleshift.snapshot/v1',
      jobId: this.jobId,
      jobType: this.config.jobType,
      templateVersion: this.config.templateVersion,
      takenAt: new Date(this.clock.now()).toISOString(),
      watermark: programState.watermark,
      state: programState.state,
    };
  }

  // --- failure --------------------------------------------------------------------------

  private fail(reason: string): void {
    if (this.currentStatus === 'FAILED') return;
    this.currentStatus = 'FAILED';
    this.failureReason = reason;
    this.clock.clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.disconnectPipeline();
    for (const binding of this.bindings) binding.ledger.abandon();
    this.epoch.abandon();
    const waiters = this.failureWaiters;
    this.failureWaiters = [];
    for (const wake of waiters) wake();
    // Hold nothing: unsettled deliveries go back to the queue now, in order, not at exit.
    this.releasing = this.closeConsumers();
    this.deps.onFailure?.(reason);
  }

  private whenFailed(): Promise<void> {
    if (this.failureReason !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.failureWaiters.push(resolve));
  }

  /** Unsettled deliveries go back to the queue when the channel closes. */
  private async closeConsumers(): Promise<void> {
    const consumers = this.bindings.map((binding) => binding.consumer);
    for (const binding of this.bindings) binding.consumer = undefined;
    // A channel that cannot be closed is gone already, which requeues its deliveries too.
    await Promise.all(
      consumers.map((consumer) => (consumer?.close() ?? Promise.resolve()).catch(() => undefined)),
    );
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}
