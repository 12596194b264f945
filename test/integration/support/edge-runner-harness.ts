/**
 * The edge RuleRunner on the real RabbitMQ without an agent around it: a test file's own vhosts,
 * `edge` and `core` connections of its own (named, so a test can close exactly its own with
 * `rabbitmqctl close_connection`), rule configs with unique names, and what the tests read back.
 */
import {
  AmqpBrokerConnection,
  type BrokerConnection,
  type BrokerRegistry,
} from '@ruleshift/broker';
import type { RuleConfig, RuleSnapshot } from '@ruleshift/contracts';
import type { CheckpointStore, RuleRunner } from '@ruleshift/engine';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { AmqpTestClient, type Collector } from './amqp';
import { createPrivateVhosts, type PrivateVhosts } from './private-vhosts';

export const TEMPLATES_DIR = resolve(__dirname, '../../../templates');

export const vhostOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** Keeps the first message of each id, as a downstream consumer that drops duplicates. */
export function distinctBodies(collector: Collector): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const message of collector.messages) {
    const id = message.properties.messageId as string | undefined;
    if (id === undefined) throw new Error('an output without a message id');
    if (seen.has(id)) continue;
    seen.add(id);
    kept.push(message.content.toString());
  }
  return kept;
}

/** A checkpoint store that lives as long as the test (the process is never restarted). */
export class MemoryCheckpoints implements CheckpointStore {
  private stored?: RuleSnapshot;
  load(): Promise<RuleSnapshot | undefined> {
    return Promise.resolve(this.stored);
  }
  save(snapshot: RuleSnapshot): Promise<void> {
    this.stored = snapshot;
    return Promise.resolve();
  }
}

export interface RuleBrokers {
  brokers: BrokerRegistry;
  /** `connection_name` of the `edge` connection, for closeConnectionNamed. */
  edgeConnectionName: string;
}

export class EdgeRunnerHarness {
  private readonly connections: AmqpBrokerConnection[] = [];
  private readonly runners: RuleRunner[] = [];

  private constructor(
    readonly vhosts: PrivateVhosts,
    /** A plain client on the core vhost (collects outputs). */
    readonly core: AmqpTestClient,
    private readonly tag: string,
  ) {}

  static async create(tag: string): Promise<EdgeRunnerHarness> {
    const vhosts = createPrivateVhosts(tag);
    return new EdgeRunnerHarness(vhosts, await AmqpTestClient.connect(vhosts.coreUrl), tag);
  }

  get edgeVhost(): string {
    return vhostOf(this.vhosts.edgeUrl);
  }

  /** `edge` and `core` on connections of their own, named after this process and `name`. */
  async brokersFor(name: string): Promise<RuleBrokers> {
    const prefix = `ruleshift:${this.tag}:${process.pid}:${name}`;
    const edge = await this.open(this.vhosts.edgeUrl, 'edge', `${prefix}:edge`);
    const core = await this.open(this.vhosts.coreUrl, 'core', `${prefix}:core`);
    const byEndpoint: Record<string, BrokerConnection> = { edge, core };
    const brokers: BrokerRegistry = {
      get: (endpoint) => Promise.resolve(byEndpoint[endpoint]),
      validateEndpoint: () => undefined,
      closeAll: () => Promise.resolve(),
    };
    return { brokers, edgeConnectionName: `${prefix}:edge` };
  }

  /** Stopped (if still running) when the harness closes. */
  track(runner: RuleRunner): RuleRunner {
    this.runners.push(runner);
    return runner;
  }

  async close(): Promise<void> {
    for (const runner of this.runners) await runner.stop().catch(() => undefined);
    for (const connection of this.connections) await connection.close();
    await this.core.close();
    this.vhosts.remove();
  }

  private async open(url: string, name: string, connectionName: string) {
    const connection = await AmqpBrokerConnection.connect({
      url,
      name,
      connectionName,
      reconnectDelayMs: 200,
      maxReconnectDelayMs: 1000,
      logger: { warn: () => undefined },
    });
    this.connections.push(connection);
    return connection;
  }
}

/** Unique exchange and queue names for one rule: edge input, core output. */
export function connectorsFor(name: string, prefetch = 64): RuleConfig['connectors'] {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  return {
    inputEndpoint: 'edge',
    inputExchange: `${id}.in`,
    inputQueue: `${id}.q`,
    inputRoutingKey: 'in',
    outputEndpoint: 'core',
    outputExchange: `${id}.out`,
    outputRoutingKey: 'out',
    prefetch,
  };
}

export const ruleConfig = (
  jobType: string,
  jobProps: Record<string, unknown>,
  connectors: RuleConfig['connectors'],
): RuleConfig => ({
  jobId: `${jobType}-${randomUUID().slice(0, 8)}`,
  jobType,
  templateVersion: '1.0.0',
  deadLetterExchange: 'ruleshift.dlx',
  jobProps,
  connectors,
});
