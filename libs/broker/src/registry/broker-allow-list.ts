import { ValidationFailed } from '@ruleshift/contracts';
import type { BrokerConfig } from './broker-config';
import { type AmqpAddress, parseUrl } from './endpoint';

/**
 * The broker allow-list is the configured brokers themselves: a connector may name a broker
 * by its credential-free URL only when protocol, host, port and vhost are exactly those of a
 * configured broker, and it then gets that broker's connection and credentials. Any other URL
 * is refused before anything is contacted, so configured credentials never reach another host
 * or vhost. Returns the configured broker's name.
 */
export function allowedBrokerFor(
  config: BrokerConfig,
  address: AmqpAddress,
  field: string,
): string {
  for (const [name, target] of Object.entries(config.named)) {
    if (target.kind !== 'amqp') continue;
    const server = parseUrl(target.url, name, true).address;
    if (
      server.protocol === address.protocol &&
      server.host === address.host &&
      server.port === address.port &&
      server.vhost === address.vhost
    ) {
      return name;
    }
  }
  const configured = Object.keys(config.named).sort().join(', ');
  throw new ValidationFailed([
    {
      field,
      reason:
        `'${address.name}' is not a configured broker; name one (${configured}) or its URL ` +
        '(the allow-list is EDGE_AMQP_URL, CORE_AMQP_URL and BROKER_<NAME>_URL)',
    },
  ]);
}
