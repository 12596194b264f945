import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BrokerRegistry, Consumer, Delivery } from '@ruleshift/broker';
import {
  ADAPTER_HEARTBEAT_QUEUE,
  HEARTBEAT_EXCHANGE,
  type AgentHeartbeat,
} from '@ruleshift/contracts';
import { Clock } from '../shared/clock';
import { BROKER_REGISTRY } from '../shared/tokens';
import { RecordHeartbeatUseCase } from './usecases/record-heartbeat/record-heartbeat.usecase';
import { SweepUnreachableRuntimesUseCase } from './usecases/sweep-unreachable-runtimes/sweep-unreachable-runtimes.usecase';

const isHeartbeat = (value: unknown): value is AgentHeartbeat =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AgentHeartbeat).agentId === 'string' &&
  Array.isArray((value as AgentHeartbeat).rules);

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

  constructor(
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(RecordHeartbeatUseCase) private readonly record: RecordHeartbeatUseCase,
    @Inject(SweepUnreachableRuntimesUseCase)
    private readonly sweep: SweepUnreachableRuntimesUseCase,
    @Inject(Clock) private readonly clock: Clock,
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
      (delivery) => void this.onDelivery(delivery),
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
      const value: unknown = JSON.parse(delivery.body.toString('utf8'));
      if (isHeartbeat(value)) await this.record.execute(value);
      else this.logger.warn('dropped a malformed heartbeat');
    } catch (err) {
      this.logger.error(`heartbeat not recorded: ${String(err)}`);
    } finally {
      // Heartbeats are never redelivered: the next one supersedes this one.
      this.consumer?.ack(delivery);
    }
  }
}
