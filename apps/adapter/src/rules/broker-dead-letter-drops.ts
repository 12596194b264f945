import { Logger } from '@nestjs/common';
import {
  DEAD_LETTER_OVERFLOW_QUEUE,
  deadLetterOverflowTopology,
  ruleEndpoints,
  type BrokerRegistry,
  type Consumer,
} from '@ruleshift/broker';
import type { RuleConfig } from '@ruleshift/contracts';
import { DeadLetterDrops } from './dead-letter-drops';

const OVERFLOW_PREFETCH = 256;

/** Drains `ruleshift.dlq.overflow` on each broker a bounded rule uses; routing key = jobId. */
export class BrokerDeadLetterDrops extends DeadLetterDrops {
  private readonly logger = new Logger(BrokerDeadLetterDrops.name);
  private readonly counts = new Map<string, number>();
  private readonly consumers = new Map<string, Promise<Consumer>>();

  constructor(private readonly brokers: BrokerRegistry) {
    super();
  }

  async watch(config: RuleConfig): Promise<void> {
    if (!config.deadLetterQueue) return;
    await Promise.all(ruleEndpoints(config).map((endpoint) => this.consumerOn(endpoint)));
  }

  dropped(jobId: string): number {
    return this.counts.get(jobId) ?? 0;
  }

  async close(): Promise<void> {
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    for (const consumer of consumers) await (await consumer.catch(() => null))?.close();
  }

  private consumerOn(endpoint: string): Promise<Consumer> {
    let consumer = this.consumers.get(endpoint);
    if (!consumer) {
      consumer = this.consume(endpoint);
      // A broker that is down now is tried again by the next watch.
      consumer.catch((error: unknown) => {
        this.consumers.delete(endpoint);
        this.logger.warn(`cannot count dead-letter drops on ${endpoint}: ${String(error)}`);
      });
      this.consumers.set(endpoint, consumer);
    }
    return consumer;
  }

  private async consume(endpoint: string): Promise<Consumer> {
    const broker = await this.brokers.get(endpoint);
    await broker.assert(deadLetterOverflowTopology);
    const consumer: Consumer = await broker.consume(
      DEAD_LETTER_OVERFLOW_QUEUE,
      (delivery) => {
        this.counts.set(delivery.routingKey, this.dropped(delivery.routingKey) + 1);
        consumer.ack(delivery);
      },
      { prefetch: OVERFLOW_PREFETCH },
    );
    return consumer;
  }
}
