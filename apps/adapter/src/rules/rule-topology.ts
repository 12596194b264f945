import type { DeadLetterQueueBounds, InputConnector, RuleConfig } from '@ruleshift/contracts';

/**
 * Declares a rule's exchanges, input queue(s), bindings and dead-letter queue on the brokers
 * its connectors name, and removes what the rule owned at uninstall. Idempotent: a move
 * re-declares the same topology, a retried uninstall deletes nothing twice.
 */
export abstract class RuleTopology {
  /** The bound new rules' dead-letter queues get (DEAD_LETTER_MAX_LENGTH), stored in the config. */
  abstract readonly deadLetterQueue: DeadLetterQueueBounds;
  abstract declare(config: RuleConfig): Promise<void>;
  /** Deletes the dead-letter queues and every input queue `keepInput` does not claim. */
  abstract remove(config: RuleConfig, keepInput: (input: InputConnector) => boolean): Promise<void>;
}
