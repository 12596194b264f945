import type { RuleConfig } from '@ruleshift/contracts';

/**
 * Counts the dead letters each rule's bounded dead-letter queue dropped (RabbitMQ `drop-head`
 * dead-letters them into the broker's overflow queue, which this drains). Counts live in the
 * adapter's memory: they start at the adapter's boot, plus whatever waited in the (durable)
 * overflow queue meanwhile.
 */
export abstract class DeadLetterDrops {
  /** Starts counting on the brokers the rule's dead-letter queues live on (idempotent). */
  abstract watch(config: RuleConfig): Promise<void>;
  abstract dropped(jobId: string): number;
}
