import { type BrokerConfig, parseEndpoint, ruleEndpoints } from '@ruleshift/broker';
import { type RuleConfig, RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';

/**
 * Builds the `--broker <endpoint>=<amqp-uri>` program arguments a Flink job needs to reach the
 * brokers its rule names. Credentials come from server configuration only: they exist in the
 * run request sent to Flink and nowhere else (not in the registry, not in API answers).
 */
export class FlinkBrokerArgs {
  constructor(
    private readonly brokers: BrokerConfig,
    /** FLINK_BROKER_<NAME>_URL of the cluster: broker name -> URL as Flink reaches it. */
    private readonly overrides: Record<string, string> = {},
  ) {}

  /** Throws ValidationFailed for an unknown broker, RuntimeUnavailable when Flink cannot reach it. */
  argsFor(config: RuleConfig, cluster: string): string[] {
    const args: string[] = [];
    for (const endpoint of ruleEndpoints(config)) {
      const uri = this.uriFor(endpoint, cluster);
      if (uri) args.push('--broker', `${endpoint}=${uri}`);
    }
    return args;
  }

  private uriFor(endpoint: string, cluster: string): string | undefined {
    const parsed = parseEndpoint(endpoint, 'connectors');
    if (parsed.kind === 'named') {
      const override = this.overrides[parsed.name];
      if (override) return override;
      const target = this.brokers.named[parsed.name];
      if (!target) {
        throw new ValidationFailed([
          { field: 'connectors', reason: `unknown broker '${parsed.name}'` },
        ]);
      }
      if (target.kind === 'memory') {
        throw new RuntimeUnavailable(
          'targetResource',
          `broker '${parsed.name}' is this process's in-memory broker, which Flink cluster ` +
            `${cluster} cannot reach; configure it with an amqp:// URL (or FLINK_BROKER_${parsed.name.toUpperCase()}_URL)`,
        );
      }
      return target.url;
    }
    const credentials = this.credentialsFor(parsed.url.protocol, parsed.url.host, parsed.url.port);
    // Without configured credentials the job uses the URL as written (RabbitMQ's guest default).
    if (!credentials) return undefined;
    const user = `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}`;
    const { protocol, host, port, vhost } = parsed.url;
    return `${protocol}://${user}@${host}:${port}/${encodeURIComponent(vhost)}`;
  }

  /** Same precedence as the adapter's BrokerRegistry: AMQP_USERNAME, then a named broker. */
  private credentialsFor(
    protocol: string,
    host: string,
    port: number,
  ): { username: string; password: string } | undefined {
    if (this.brokers.urlCredentials) return this.brokers.urlCredentials;
    for (const target of Object.values(this.brokers.named)) {
      if (target.kind !== 'amqp') continue;
      const url = new URL(target.url);
      const targetProtocol = url.protocol.replace(/:$/, '');
      const targetPort = url.port ? Number(url.port) : targetProtocol === 'amqps' ? 5671 : 5672;
      if (
        targetProtocol === protocol &&
        url.hostname === host &&
        targetPort === port &&
        url.username
      ) {
        return {
          username: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        };
      }
    }
    return undefined;
  }
}
