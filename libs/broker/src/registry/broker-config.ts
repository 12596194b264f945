import { ValidationFailed } from '@ruleshift/contracts';
import { type BrokerTls, brokerTlsFromEnv } from './broker-tls';
import { parseUrl } from './endpoint';

/** How one named broker is reached. `memory`: the process-local in-memory broker of that name. */
export type NamedBrokerTarget = { kind: 'amqp'; url: string } | { kind: 'memory' };

export interface BrokerConfig {
  /** Lower-case broker name -> target. Always contains `edge` and `core`. */
  named: Record<string, NamedBrokerTarget>;
  heartbeatS?: number;
  /** CA, client certificate and key for every `amqps://` broker (AMQP_TLS_*). */
  tls?: BrokerTls;
}

const NAMED_BROKER_VAR = /^BROKER_([A-Z0-9_]+)_URL$/;

/**
 * Reads broker configuration: EDGE_AMQP_URL, CORE_AMQP_URL (unset -> in-memory broker),
 * BROKER_<NAME>_URL (extra named brokers; EDGE_AMQP_URL/CORE_AMQP_URL win over
 * BROKER_EDGE_URL/BROKER_CORE_URL), AMQP_HEARTBEAT_S, AMQP_TLS_* (brokerTlsFromEnv). Server URLs carry their own credentials;
 * they are also the allow-list of `amqp://` URLs a connector may name (allowedBrokerFor).
 * Throws ValidationFailed naming the variable.
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
  // These once sent one set of credentials to any host a client named: refuse rather than
  // ignore them, so an operator upgrading learns where credentials go now.
  for (const field of ['AMQP_USERNAME', 'AMQP_PASSWORD']) {
    if (env[field] !== undefined) {
      throw new ValidationFailed([
        {
          field,
          reason:
            'is no longer read: give each broker its own credentials in its URL ' +
            '(EDGE_AMQP_URL, CORE_AMQP_URL, BROKER_<NAME>_URL)',
        },
      ]);
    }
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
    heartbeatS,
    tls: brokerTlsFromEnv(env),
  };
}

function amqpTarget(variable: string, url: string): NamedBrokerTarget {
  parseUrl(url, variable, true);
  return { kind: 'amqp', url };
}
