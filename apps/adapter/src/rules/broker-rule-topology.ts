import type { BrokerRegistry } from '@ruleshift/broker';
import { declareRuleTopology } from '@ruleshift/broker';
import type { RuleConfig } from '@ruleshift/contracts';
import { RuleTopology } from './rule-topology';

export class BrokerRuleTopology extends RuleTopology {
  constructor(private readonly brokers: BrokerRegistry) {
    super();
  }

  declare(config: RuleConfig): Promise<void> {
    return declareRuleTopology(this.brokers, config);
  }
}
