import { ValidationFailed } from '@ruleshift/contracts';
import { parseUrl } from './endpoint';

/** How one named broker is reached. `memory`: the process-local in-memory broker of that name. */
export type NamedBrokerTarget = { kind: 'amqp'; url: string } | { kind: 'memory' };

export interface BrokerConfig {
  /** Lower-case broker name -> target. Always contains `edge` and `core`. */
  named: Record<string, NamedBrokerTarget>;
  /** Credentials for connector endpoints given as URLs (AMQP_USERNAME / AMQP_PASSWORD). */
  urlCredentials?: { username: string; password: string };
  heartbeatS?: number;
}

const NAMED_BROKER_VAR = /^BROKER_([A-Z0-9_]+)_URL$/;

/**
 * Reads broker configuration: EDGE_AMQP_URL, CORE_AMQP_URL (unset -> in-memory broker),
 * BROKER_<NAME>_URL (extra named brokers; EDGE_AMQP_URL/CORE_AMQP_URL win over
 * BROKER_EDGE_URL/BROKER_CORE_URL), AMQP_USERNAME/AMQP_PASSWORD, AMQP_HEARTBEAT_S.
 * Server URLs may carry credentials. Throws ValidationFailed naming the variable.
 */
export function brokerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  // No prototype: a broker named `constructor` or `__proto__` is just a key.
  const named: Record<string, NamedBrokerTarget> = Object.create(null) as Record<
    string,
    NamedBrokerTarget
  >;
  for (const [key, value] of Object.entries(env)) {
    const match = NAMED_BROKER_VAR.exec(key);
    if (match && value) named[match[1].toLowerCase()] = amqpTarget(key, value);
  }
  for (const [name, key] of [
    ['edge', 'EDGE_AMQP_URL'],
    ['core', 'CORE_AMQP_URL'],
  ] as const) {
    const value = env[key];
    if (value) named[name] = amqpTarget(key, value);
    else named[name] ??= { kind: 'memory' };
  }
  const username = env.AMQP_USERNAME;
  const password = env.AMQP_PASSWORD;
  if ((username === undefined) !== (password === undefined)) {
    const field = username === undefined ? 'AMQP_USERNAME' : 'AMQP_PASSWORD';
    throw new ValidationFailed([{ field, reason: 'AMQP_USERNAME and AMQP_PASSWORD go together' }]);
  }
  const heartbeat = env.AMQP_HEARTBEAT_S;
  let heartbeatS: number | undefined;
  if (heartbeat !== undefined && heartbeat !== '') {
    heartbeatS = Number(heartbeat);
    if (!Number.isInteger(heartbeatS) || heartbeatS < 0) {
      throw new ValidationFailed([
        { field: 'AMQP_HEARTBEAT_S', reason: 'must be an integer >= 0' },
      ]);
    }
  }
  return {
    named,
    urlCredentials: username !== undefined ? { username, password: password! } : undefined,
    heartbeatS,
  };
}

function amqpTarget(variable: string, url: string): NamedBrokerTarget {
  parseUrl(url, variable, true);
  return { kind: 'amqp', url };
}
