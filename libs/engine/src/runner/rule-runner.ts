/**
 * Drives one edge rule on the broker (see RuleRunner in edge-rule.ts for the contract): its
 * lifecycle (start, stop, failure) and its hot path.
 *
 * Hot path per delivery, all synchronous so per-key order is arrival order: parse -> rule
 * operator (PipelineSubscription) -> hand each emission to the settlement strategy, which
 * publishes it at once (StatelessSettlement) or holds it for the next checkpoint
 * (CheckpointSettlement). No closure or promise is created per event beyond the broker's own
 * publish promise.
 *
 * A rule that fails gives back at once everything it holds: its consumers are closed, so the
 * broker requeues their unsettled deliveries in order, and a new start waits for that.
 */
import type { BrokerConnection, Delivery } from '@ruleshift/broker';
import {
  Conflict,
  type AgentRuleStatus,
  type RuleConfig,
  type RuleMetrics,
  type RuleSnapshot,
} from '@ruleshift/contracts';
import type {
  EdgeRuleModule,
  EdgeRuleProgram,
  InputEvent,
  RuleEmission,
  RuleRunner,
} from '../edge-rule';
import {
  describeError,
  isDeadLetter,
  ruleError,
  type DeadLetterEmission,
  type OutputEmission,
} from '../operators/emissions';
import { fieldPlanOf, parseBody } from '../operators/parse-json';
import type { FieldPlan } from '../json-path/field-extractor';
import { engineToolkit } from '../toolkit';
import { CheckpointSettlement } from './checkpoint-settlement';
import { DeadLetterBuilder } from './dead-letter';
import { deliveryStateOf, type DeliveryState } from './delivery-checkpoint';
import { InputBinding, inputConnectors } from './input-binding';
import { PipelineSubscription } from './pipeline-subscription';
import {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_PREFETCH,
  systemRunnerClock,
  type RuleRunnerDeps,
  type RunnerClock,
} from './runner-deps';
import type { Settlement, SettlementRun } from './settlement';
import { StatelessSettlement } from './stateless-settlement';

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
  /** The members the rule reads, extracted per event instead of a whole parse. */
  private readonly fieldPlan: FieldPlan | null;
  private readonly clock: RunnerClock;
  private readonly settlement: Settlement;
  private readonly pipeline: PipelineSubscription;
  private readonly deadLetters: DeadLetterBuilder;

  private bindings: InputBinding[] = [];
  private output?: BrokerConnection;
  private seq = 0;
  private firstStart = true;
  private lastSnapshot?: RuleSnapshot;

  // The delivery being processed; emissions made meanwhile are attributed to it.
  private currentBinding?: InputBinding;
  private currentDelivery?: Delivery;

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
    this.fieldPlan = fieldPlanOf(this.program.fieldPaths);
    this.clock = deps.clock ?? systemRunnerClock;
    this.settlement =
      typeof this.program.snapshot === 'function'
        ? new CheckpointSettlement({
            checkpoints: deps.checkpoints,
            clock: this.clock,
            intervalMs: deps.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
          })
        : new StatelessSettlement();
    this.pipeline = new PipelineSubscription(this.program.operator, this.emit, (error) => {
      if (error !== undefined && this.currentDelivery) this.emit(ruleError(error, undefined));
    });
    this.deadLetters = new DeadLetterBuilder(this.jobId, config.deadLetterExchange);
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
    const restored = await this.restoreState(snapshot);
    try {
      const connectors = this.config.connectors;
      const prefetch = connectors.prefetch ?? DEFAULT_PREFETCH;
      this.output = await this.deps.brokers.get(connectors.outputEndpoint);
      this.bindings = [];
      for (const [index, { input, connector }] of inputConnectors(connectors).entries()) {
        const broker = await this.deps.brokers.get(connector.endpoint);
        this.bindings.push(new InputBinding(index, connector, broker, input));
      }
      await this.settlement.begin(this.settlementRun(prefetch), restored);
      this.currentStatus = 'RUNNING';
      this.pipeline.connect();
      const channelLost = this.settlement.channelLost;
      for (const binding of this.bindings) {
        const handler = (delivery: Delivery): void => this.onDelivery(binding, delivery);
        binding.consumer = await binding.broker.consume(binding.connector.queue, handler, {
          prefetch,
          onChannelLost: channelLost && (() => channelLost(binding)),
        });
        // Failed while subscribing (a refused publish of an early delivery): release this one too.
        if (this.currentStatus !== 'RUNNING') throw new Error(this.failureReason);
      }
      this.settlement.subscribed();
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
    this.settlement.quiesce();
    await Promise.all(
      this.bindings.map((binding) =>
        (binding.consumer?.cancel() ?? Promise.resolve()).catch((error: unknown) =>
          this.fail(`cannot cancel the consumer: ${describeError(error)}`),
        ),
      ),
    );
    // Processing is synchronous, so every delivered event has been through the rule by now.
    try {
      await Promise.race([this.settlement.settle(), this.whenFailed()]);
    } catch (error) {
      // The final checkpoint was not saved: its inputs stay unacked and return to the queue.
      this.fail(`final checkpoint failed: ${describeError(error)}`);
      await this.closeConsumers();
      throw error;
    } finally {
      this.failureWaiters = [];
    }
    const snapshot = this.settlement.stopSnapshot() ?? this.takeSnapshot();
    this.lastSnapshot = snapshot;
    this.pipeline.disconnect();
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
    return deliveryStateOf(source);
  }

  /** What the settlement strategy sees of this run (one object per start). */
  private settlementRun(prefetch: number): SettlementRun {
    return {
      jobId: this.jobId,
      bindings: this.bindings,
      output: this.output!,
      prefetch,
      snapshot: () => this.takeSnapshot(),
      checkpointed: (snapshot) => (this.lastSnapshot = snapshot),
      publishFailed: (error) => this.fail(`publish failed: ${describeError(error)}`),
      isRunning: () => this.currentStatus === 'RUNNING',
    };
  }

  // --- data plane -----------------------------------------------------------------------

  private onDelivery(binding: InputBinding, delivery: Delivery): void {
    if (this.currentStatus !== 'RUNNING') return; // failed: the closed channel requeues it
    if (!this.settlement.accept(binding, delivery)) return;
    this.eventsIn++;
    this.currentBinding = binding;
    this.currentDelivery = delivery;
    const parsed = parseBody(
      delivery.body,
      binding.input,
      this.seq++,
      this.clock.now(),
      this.fieldPlan,
    );
    if (isDeadLetter(parsed)) this.emit(parsed);
    else this.feedRule(parsed);
    this.currentBinding = undefined;
    this.currentDelivery = undefined;
    this.settlement.finish(binding, delivery);
  }

  private feedRule(event: InputEvent): void {
    if (!this.pipeline.next(event))
      this.emit(ruleError(new Error('the rule cannot be subscribed'), event.value));
  }

  private readonly emit = (emission: RuleEmission): void => {
    if (emission.kind === 'output') this.publishOutput(emission);
    else this.publishDeadLetter(emission);
  };

  /** Reads the output's value only when it has no text: a join pair builds its value lazily. */
  private publishOutput(output: OutputEmission): void {
    const { raw, routingKey } = output;
    let body: Buffer;
    try {
      body =
        raw === undefined
          ? Buffer.from(JSON.stringify(output.value) ?? 'null')
          : Buffer.isBuffer(raw)
            ? raw
            : Buffer.from(raw);
    } catch (error) {
      this.publishDeadLetter(ruleError(error, undefined));
      return;
    }
    this.eventsOut++;
    const { outputExchange, outputRoutingKey } = this.config.connectors;
    const binding = this.currentBinding ?? this.bindings[0];
    this.settlement.output(binding, outputExchange, routingKey ?? outputRoutingKey, body);
  }

  private publishDeadLetter(letter: DeadLetterEmission): void {
    this.deadLettered[letter.reason] = (this.deadLettered[letter.reason] ?? 0) + 1;
    const delivery = this.currentDelivery;
    const binding = this.currentBinding ?? this.bindings[0];
    this.settlement.deadLetter(
      binding,
      this.deadLetters.exchange,
      this.jobId,
      this.deadLetters.body(letter, delivery),
      this.deadLetters.headers(letter, delivery, this.clock.now()),
    );
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
    this.pipeline.disconnect();
    this.settlement.abandon();
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
