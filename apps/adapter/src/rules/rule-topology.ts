import type { RuleConfig } from '@ruleshift/contracts';

/**
 * Declares a rule's exchanges, input queue(s), bindings and dead-letter queue on the brokers
 * its connectors name. Idempotent: a move re-declares the same topology.
 */
export abstract class RuleTopology {
  abstract declare(config: RuleConfig): Promise<void>;
}
