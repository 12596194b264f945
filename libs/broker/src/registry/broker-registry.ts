import { RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import type { BrokerConnection, BrokerRegistry } from '../broker-port';
import type { BrokerConfig } from './broker-config';
import { allowedBrokerFor } from './broker-allow-list';
import type { BrokerTls } from './broker-tls';
import { type AmqpAddress, parseEndpoint, parseUrl, redactUrl } from './endpoint';
import { type InMemoryBrokerHub, defaultInMemoryBrokerHub } from './in-memory-hub';

export interface AmqpConnectRequest {
  /** With credentials: never log it. */
  url: string;
  /** Credential-free name the connection reports. */
  name: string;
  /** `connection_name` client property, so operators (and tests) can find the connection. */
  connectionName: string;
  heartbeatS?: number;
  /** CA, client certificate and key, for `amqps://` URLs. */
  tls?: BrokerTls;
}

export type AmqpConnector = (request: AmqpConnectRequest) => Promise<BrokerConnection>;

export interface BrokerRegistryOptions {
  /** Opens AMQP connections (AmqpBrokerConnection.connect in production). */
  connectAmqp: AmqpConnector;
  /** In-process brokers for names configured as in-memory; default: the process-wide hub. */
  hub?: InMemoryBrokerHub;
  /** Who connects (`adapter`, `agent-local`, ...); shows as `ruleshift:<client>:<broker>`. */
  clientName?: string;
}

interface Resolved {
  key: string;
  name: string;
  open: () => Promise<BrokerConnection>;
}

/** amqplib's default user when a configured URL names none. */
const GUEST_USERNAME = 'guest';

/**
 * Resolves connector endpoints to shared connections, one per (broker, user). A URL endpoint is
 * accepted only when it is a configured broker's (allowedBrokerFor) and then uses that broker's
 * connection and credentials; nothing else is ever contacted.
 */
export class BrokerRegistryImpl implements BrokerRegistry {
  private readonly connections = new Map<string, Promise<BrokerConnection>>();
  private readonly hub: InMemoryBrokerHub;
  private readonly clientName: string;

  constructor(
    private readonly config: BrokerConfig,
    private readonly options: BrokerRegistryOptions,
  ) {
    this.hub = options.hub ?? defaultInMemoryBrokerHub;
    this.clientName = options.clientName ?? `pid-${process.pid}`;
  }

  validateEndpoint(endpoint: string, field: string): void {
    this.resolve(endpoint, field);
  }

  get(endpoint: string): Promise<BrokerConnection> {
    let resolved: Resolved;
    try {
      resolved = this.resolve(endpoint, 'endpoint');
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    let connection = this.connections.get(resolved.key);
    if (!connection) {
      connection = resolved.open().catch((error: unknown) => {
        this.connections.delete(resolved.key);
        const reason = redactUrl(error instanceof Error ? error.message : String(error));
        throw new RuntimeUnavailable(resolved.name, `cannot connect to broker: ${reason}`);
      });
      this.connections.set(resolved.key, connection);
    }
    return connection;
  }

  async closeAll(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    for (const connection of open) {
      const resolved = await connection.catch(() => undefined);
      await resolved?.close();
    }
  }

  private resolve(endpoint: string, field: string): Resolved {
    const parsed = parseEndpoint(endpoint, field);
    const name =
      parsed.kind === 'named' ? parsed.name : allowedBrokerFor(this.config, parsed.url, field);
    // Own properties only: `constructor` or `toString` must not find Object.prototype's.
    const target = Object.hasOwn(this.config.named, name) ? this.config.named[name] : undefined;
    if (!target) {
      const known = Object.keys(this.config.named).sort().join(', ');
      throw new ValidationFailed([
        { field, reason: `unknown broker '${name}' (configured: ${known})` },
      ]);
    }
    if (target.kind === 'memory') {
      return {
        key: `memory:${name}`,
        name,
        open: () => Promise.resolve(this.hub.get(name).connect()),
      };
    }
    const server = parseUrl(target.url, name, true);
    return this.amqp(server.address, name, target.url, server.username ?? GUEST_USERNAME);
  }

  private amqp(address: AmqpAddress, name: string, url: string, username: string): Resolved {
    return {
      key: `${address.protocol}://${username}@${address.host}:${address.port}/${address.vhost}`,
      name,
      open: () =>
        this.options.connectAmqp({
          url,
          name,
          connectionName: `ruleshift:${this.clientName}:${name}`,
          heartbeatS: this.config.heartbeatS,
          tls: address.protocol === 'amqps' ? this.config.tls : undefined,
        }),
    };
  }
}
