import {
  type BrokerConfig,
  allowedBrokerFor,
  parseEndpoint,
  ruleEndpoints,
} from '@ruleshift/broker';
import { type RuleConfig, RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import type { FlinkTlsFiles } from './flink-cluster-config';

/**
 * Builds the `--broker <endpoint>=<amqp-uri>` program arguments a Flink job needs to reach the
 * brokers its rule names, and the `--tls-*-file` paths its amqps:// connections use. Credentials
 * come from server configuration only: they exist in the run request sent to Flink and nowhere
 * else (not in the registry, not in API answers); TLS keys never leave the TaskManagers' files.
 */
export class FlinkBrokerArgs {
  constructor(
    private readonly brokers: BrokerConfig,
    /** FLINK_BROKER_<NAME>_URL of the cluster: broker name -> URL as Flink reaches it. */
    private readonly overrides: Record<string, string> = {},
    private readonly tlsFiles: FlinkTlsFiles = {},
  ) {}

  /** Throws ValidationFailed for an unknown broker, RuntimeUnavailable when Flink cannot reach it. */
  argsFor(config: RuleConfig, cluster: string): string[] {
    const args: string[] = [];
    for (const endpoint of ruleEndpoints(config)) {
      const uri = this.uriFor(endpoint, cluster);
      args.push('--broker', `${endpoint}=${uri}`);
    }
    if (this.tlsFiles.caFile) args.push('--tls-ca-file', this.tlsFiles.caFile);
    if (this.tlsFiles.certFile) args.push('--tls-cert-file', this.tlsFiles.certFile);
    if (this.tlsFiles.keyFile) args.push('--tls-key-file', this.tlsFiles.keyFile);
    return args;
  }

  private uriFor(endpoint: string, cluster: string): string {
    const parsed = parseEndpoint(endpoint, 'connectors');
    // A URL endpoint is a configured broker's or refused, exactly as in the adapter's registry.
    const name =
      parsed.kind === 'named'
        ? parsed.name
        : allowedBrokerFor(this.brokers, parsed.url, 'connectors');
    const override = this.overrides[name];
    if (override) return override;
    const target = Object.hasOwn(this.brokers.named, name) ? this.brokers.named[name] : undefined;
    if (!target) {
      throw new ValidationFailed([{ field: 'connectors', reason: `unknown broker '${name}'` }]);
    }
    if (target.kind === 'memory') {
      throw new RuntimeUnavailable(
        'targetResource',
        `broker '${name}' is this process's in-memory broker, which Flink cluster ` +
          `${cluster} cannot reach; configure it with an amqp:// URL (or FLINK_BROKER_${name.toUpperCase()}_URL)`,
      );
    }
    return target.url;
  }
}
