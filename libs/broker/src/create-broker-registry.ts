import { AmqpBrokerConnection } from './amqp/amqp-broker-connection';
import { type BrokerConfig, brokerConfigFromEnv } from './registry/broker-config';
import { BrokerRegistryImpl, type BrokerRegistryOptions } from './registry/broker-registry';

/** The production wiring: env config, AMQP connections through amqplib, the shared in-memory hub. */
export function createBrokerRegistry(
  clientName: string,
  config: BrokerConfig = brokerConfigFromEnv(),
  options: Partial<BrokerRegistryOptions> = {},
): BrokerRegistryImpl {
  return new BrokerRegistryImpl(config, {
    clientName,
    connectAmqp: (request) => AmqpBrokerConnection.connect(request),
    ...options,
  });
}
