import { RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import type { BrokerConnection, BrokerRegistry } from '../broker-port';
import type { BrokerConfig } from './broker-config';
import { type AmqpAddress, isLoopbackHost, parseEndpoint, parseUrl, redactUrl } from './endpoint';
import { type InMemoryBrokerHub, defaultInMemoryBrokerHub } from './in-memory-hub';

export interface AmqpConnectRequest {
  /** With credentials: never log it. */
  url: string;
  /** Credential-free name the connection reports. */
  name: string;
  /** `connection_name` client property, so operators (and tests) can find the connection. */
  connectionName: string;
  heartbeatS?: number;
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

const GUEST = { username: 'guest', password: 'guest' };

/**
 * Resolves connector endpoints to shared connections, one per (broker, user). Credentials for
 * URL endpoints come from AMQP_USERNAME/AMQP_PASSWORD, else from a named broker on the same
 * host and port, else guest/guest when the host is loopback; otherwise the endpoint is refused.
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
    if (parsed.kind === 'named') {
      // Own properties only: `constructor` or `toString` must not find Object.prototype's.
      const target = Object.hasOwn(this.config.named, parsed.name)
        ? this.config.named[parsed.name]
        : undefined;
      if (!target) {
        const known = Object.keys(this.config.named).sort().join(', ');
        throw new ValidationFailed([
          { field, reason: `unknown broker '${parsed.name}' (configured: ${known})` },
        ]);
      }
      if (target.kind === 'memory') {
        return {
          key: `memory:${parsed.name}`,
          name: parsed.name,
          open: () => Promise.resolve(this.hub.get(parsed.name).connect()),
        };
      }
      const server = parseUrl(target.url, parsed.name, true);
      return this.amqp(server.address, parsed.name, target.url, server.username ?? GUEST.username);
    }
    const credentials = this.credentialsFor(parsed.url, field);
    return this.amqp(
      parsed.url,
      parsed.url.name,
      withCredentials(parsed.url, credentials),
      credentials.username,
    );
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
        }),
    };
  }

  private credentialsFor(
    address: AmqpAddress,
    field: string,
  ): { username: string; password: string } {
    if (this.config.urlCredentials) return this.config.urlCredentials;
    for (const target of Object.values(this.config.named)) {
      if (target.kind !== 'amqp') continue;
      const server = parseUrl(target.url, 'named broker', true);
      const same =
        server.address.protocol === address.protocol &&
        server.address.host === address.host &&
        server.address.port === address.port;
      if (same && server.username !== undefined) {
        return { username: server.username, password: server.password ?? '' };
      }
    }
    if (isLoopbackHost(address.host)) return GUEST;
    throw new ValidationFailed([
      {
        field,
        reason: `no credentials configured for broker host '${address.host}' (set AMQP_USERNAME and AMQP_PASSWORD)`,
      },
    ]);
  }
}

function withCredentials(
  address: AmqpAddress,
  credentials: { username: string; password: string },
): string {
  const user = `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}`;
  return `${address.protocol}://${user}@${address.host}:${address.port}/${encodeURIComponent(address.vhost)}`;
}
