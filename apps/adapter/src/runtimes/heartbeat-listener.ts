import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BrokerRegistry, Consumer, Delivery } from '@ruleshift/broker';
import { ADAPTER_HEARTBEAT_QUEUE, HEARTBEAT_EXCHANGE } from '@ruleshift/contracts';
import { Clock } from '../shared/clock';
import { BROKER_REGISTRY } from '../shared/tokens';
import { HeartbeatVerifier } from './heartbeat-verifier';
import { RecordHeartbeatUseCase } from './usecases/record-heartbeat/record-heartbeat.usecase';
import { RetireStrayRulesUseCase } from './usecases/retire-stray-rules/retire-stray-rules.usecase';
import { SweepUnreachableRuntimesUseCase } from './usecases/sweep-unreachable-runtimes/sweep-unreachable-runtimes.usecase';

/**
 * Consumes agent heartbeats from the core broker and runs the clock-driven sweeper. Started
 * and stopped by the adapter's lifecycle (AdapterLifecycle).
 */
@Injectable()
export class HeartbeatListener {
  private readonly logger = new Logger(HeartbeatListener.name);
  private consumer: Consumer | null = null;
  private cancelSweep: (() => void) | null = null;
  private sweeping: Promise<unknown> = Promise.resolve();
  private inOrder: Promise<void> = Promise.resolve();

  constructor(
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(RecordHeartbeatUseCase) private readonly record: RecordHeartbeatUseCase,
    @Inject(SweepUnreachableRuntimesUseCase)
    private readonly sweep: SweepUnreachableRuntimesUseCase,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(HeartbeatVerifier) private readonly verifier: HeartbeatVerifier,
    @Inject(RetireStrayRulesUseCase) private readonly retire: RetireStrayRulesUseCase,
  ) {}

  async start(heartbeatIntervalMs: number): Promise<void> {
    const core = await this.brokers.get('core');
    await core.assert({
      exchanges: [{ name: HEARTBEAT_EXCHANGE, type: 'fanout', durable: true }],
      // Heartbeats are only worth their freshness: expire what nobody read in time.
      queues: [{ name: ADAPTER_HEARTBEAT_QUEUE, durable: true, messageTtlMs: 60_000 }],
      bindings: [{ queue: ADAPTER_HEARTBEAT_QUEUE, exchange: HEARTBEAT_EXCHANGE, routingKey: '' }],
    });
    const consumer = await core.consume(
      ADAPTER_HEARTBEAT_QUEUE,
      // One at a time, in queue order: a heartbeat older than one already accepted for its
      // agent is then a replay (refused), never an earlier one overtaken in processing.
      (delivery) => {
        this.inOrder = this.inOrder.then(() => this.onDelivery(delivery));
      },
      { prefetch: 32 },
    );
    this.consumer = consumer;
    this.cancelSweep = this.clock.every(heartbeatIntervalMs, () => {
      this.sweeping = this.sweep
        .execute({ heartbeatIntervalMs })
        .then((names) => {
          if (names.length) this.logger.warn(`agents unreachable: ${names.join(', ')}`);
        })
        .catch((err: unknown) => this.logger.error(`heartbeat sweep failed: ${String(err)}`));
    });
  }

  async stop(): Promise<void> {
    this.cancelSweep?.();
    this.cancelSweep = null;
    await this.sweeping;
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.close();
  }

  private async onDelivery(delivery: Delivery): Promise<void> {
    try {
      const heartbeat = await this.verifier.open(delivery.body);
      if (heartbeat) {
        await this.record.execute(heartbeat);
        // Not awaited: an agent's slow answer must not hold up the other agents' heartbeats.
        void this.retire.execute(heartbeat).catch((err: unknown) => {
          this.logger.error(`stray rules of ${heartbeat.agentId} not checked: ${String(err)}`);
        });
      }
    } catch (err) {
      this.logger.error(`heartbeat not recorded: ${String(err)}`);
    } finally {
      // Heartbeats are never redelivered: the next one supersedes this one.
      this.consumer?.ack(delivery);
    }
  }
}
