import {
  createBrokerRegistry as createLibBrokerRegistry,
  type BrokerConfig,
  type BrokerRegistry,
} from '@ruleshift/broker';

/** Builds a BrokerRegistry from plain config (the worker host gets the config over workerData). */
export function createBrokerRegistry(
  config: unknown,
  clientName = 'agent-rule-host',
): BrokerRegistry {
  return createLibBrokerRegistry(clientName, config as BrokerConfig);
}

/** Rules can leave the main thread only when every broker they may use is a real AMQP one. */
export function allBrokersAreAmqp(config: BrokerConfig): boolean {
  return Object.values(config.named).every((target) => target.kind === 'amqp');
}
