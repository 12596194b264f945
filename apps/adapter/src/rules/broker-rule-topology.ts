import type { BrokerRegistry } from '@ruleshift/broker';
import { declareRuleTopology, deleteRuleTopology } from '@ruleshift/broker';
import type { DeadLetterQueueBounds, InputConnector, RuleConfig } from '@ruleshift/contracts';
import type { DeadLetterDrops } from './dead-letter-drops';
import { RuleTopology } from './rule-topology';

export class BrokerRuleTopology extends RuleTopology {
  constructor(
    private readonly brokers: BrokerRegistry,
    readonly deadLetterQueue: DeadLetterQueueBounds,
    private readonly drops: DeadLetterDrops,
  ) {
    super();
  }

  async declare(config: RuleConfig): Promise<void> {
    await declareRuleTopology(this.brokers, config);
    await this.drops.watch(config);
  }

  remove(config: RuleConfig, keepInput: (input: InputConnector) => boolean): Promise<void> {
    return deleteRuleTopology(this.brokers, config, keepInput);
  }
}
