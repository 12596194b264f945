import type { StoredMessage } from '@ruleshift/broker';
import type { RuleConfig } from '@ruleshift/contracts';

/**
 * A rule's dead-letter queues (`ruleshift.dlq.<jobId>`, one on every broker the rule touches:
 * the edge broker for edge rules, the core broker for Flink rules), read and emptied through
 * the broker. Broker failures surface as RuntimeUnavailable (503) naming `jobId`.
 */
export abstract class DeadLetterQueues {
  /** Every dead letter waiting, oldest first (broker by broker, in the rule's endpoint order). */
  abstract list(config: RuleConfig): Promise<StoredMessage[]>;
  /**
   * Republishes the oldest `count` dead letters (all when undefined) to the rule's input,
   * in order; each leaves its queue only once the broker confirmed its republish.
   */
  abstract replay(config: RuleConfig, count: number | undefined): Promise<number>;
  /** Empties the rule's dead-letter queues; resolves with how many letters were dropped. */
  abstract purge(config: RuleConfig): Promise<number>;
}
