/**
 * The edge RuleRunner on the real RabbitMQ (its own vhosts) under broker faults that leave the
 * process running: an output exchange deleted under a rule (the rule fails and must give back
 * every delivery it holds, at once and in order) and the rule's connection closed by the broker
 * mid-stream (a stateful rule must absorb the redelivered inputs exactly once).
 */
import {
  AmqpBrokerConnection,
  type BrokerConnection,
  type BrokerRegistry,
  declareRuleTopology,
} from '@ruleshift/broker';
import type { RuleConfig } from '@ruleshift/contracts';
import { createRuleRunner, loadEdgeRuleModule, type RuleRunner } from '@ruleshift/engine';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { AmqpTestClient, type Collector } from './support/amqp';
import { createPrivateVhosts, type PrivateVhosts } from './support/private-vhosts';
import { queueState } from './support/rabbitmqctl';
import { waitUntil } from './support/system';

const templates = resolve(__dirname, '../../templates');

const vhostOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** Keeps the first message of each id, as a downstream consumer that drops duplicates. */
function distinctBodies(collector: Collector): string[] {
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

describe('edge RuleRunner under broker faults (real RabbitMQ)', () => {
  let vhosts: PrivateVhosts;
  let test: AmqpTestClient;
  const connections: AmqpBrokerConnection[] = [];
  const runners: RuleRunner[] = [];

  /** `edge` and `core` on connections of their own, named so the test can close one. */
  async function brokersFor(tag: string): Promise<{
    brokers: BrokerRegistry;
    edgeConnectionName: string;
  }> {
    const edgeConnectionName = `ruleshift:runner-faults:${process.pid}:${tag}:edge`;
    const open = async (url: string, name: string, connectionName: string) => {
      const connection = await AmqpBrokerConnection.connect({
        url,
        name,
        connectionName,
        reconnectDelayMs: 200,
        maxReconnectDelayMs: 1000,
        logger: { warn: () => undefined },
      });
      connections.push(connection);
      return connection;
    };
    const edge = await open(vhosts.edgeUrl, 'edge', edgeConnectionName);
    const core = await open(vhosts.coreUrl, 'core', `ruleshift:runner-faults:${tag}:core`);
    const byEndpoint: Record<string, BrokerConnection> = { edge, core };
    const brokers: BrokerRegistry = {
      get: (endpoint) => Promise.resolve(byEndpoint[endpoint]),
      validateEndpoint: () => undefined,
      closeAll: () => Promise.resolve(),
    };
    return { brokers, edgeConnectionName };
  }

  function connectorsFor(tag: string): RuleConfig['connectors'] {
    const id = `${tag}-${randomUUID().slice(0, 8)}`;
    return {
      inputEndpoint: 'edge',
      inputExchange: `${id}.in`,
      inputQueue: `${id}.q`,
      inputRoutingKey: 'in',
      outputEndpoint: 'core',
      outputExchange: `${id}.out`,
      outputRoutingKey: 'out',
      prefetch: 64,
    };
  }

  const ruleConfig = (
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

  beforeAll(async () => {
    vhosts = createPrivateVhosts('it-runner-faults');
    test = await AmqpTestClient.connect(vhosts.coreUrl);
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop().catch(() => undefined);
    for (const connection of connections) await connection.close();
    await test?.close();
    vhosts?.remove();
  });

  it('a rule whose output exchange is deleted fails, requeues what it holds at once and in order; a restart outputs each input once, with one consumer', async () => {
    const connectors = connectorsFor('fail-release');
    const { brokers } = await brokersFor('fail-release');
    const edge = await AmqpTestClient.connect(vhosts.edgeUrl);
    try {
      const config = ruleConfig(
        'filter',
        { condition: '>', threshold: 20, fieldName: 't' },
        connectors,
      );
      await declareRuleTopology(brokers, config);
      const out = await test.collect(
        connectors.outputExchange,
        connectors.outputRoutingKey,
        `${connectors.outputExchange}.c`,
      );
      const n = 3000;
      // Every reading passes the filter: outputs are the inputs, in input order.
      const readings = Array.from({ length: n }, (_, i) =>
        Buffer.from(JSON.stringify({ t: 100, i })),
      );
      await edge.publishRaw(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        readings.slice(0, 1000),
      );
      const failures: string[] = [];
      const runner = createRuleRunner(
        loadEdgeRuleModule(`${templates}/filter/edge/rule.js`),
        config,
        { brokers, onFailure: (reason) => failures.push(reason) },
      );
      runners.push(runner);
      await runner.start();
      await waitUntil('outputs before the fault', () => Promise.resolve(out.count >= 200), 30_000);
      await test.channel.deleteExchange(connectors.outputExchange);
      await edge.publishRaw(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        readings.slice(1000),
      );
      await waitUntil('the rule failed', () => Promise.resolve(failures.length > 0), 30_000);
      expect(runner.status).toBe('FAILED');

      // Released at once, while the process and its connection live on: nothing held.
      const vhost = vhostOf(vhosts.edgeUrl);
      await waitUntil(
        'the failed rule holds no delivery and no consumer',
        () => {
          const state = queueState(vhost, connectors.inputQueue);
          return Promise.resolve(state.unacked === 0 && state.consumers === 0);
        },
        30_000,
      );
      expect(queueState(vhost, connectors.inputQueue).ready).toBeGreaterThan(0);

      // The operator puts the exchange back; the queue downstream keeps what it had.
      await test.channel.assertExchange(connectors.outputExchange, 'direct', { durable: true });
      await test.channel.bindQueue(
        `${connectors.outputExchange}.c`,
        connectors.outputExchange,
        connectors.outputRoutingKey,
      );
      await runner.start();
      expect(runner.status).toBe('RUNNING');
      expect(queueState(vhost, connectors.inputQueue).consumers).toBe(1);
      await waitUntil(
        'every input out after the restart',
        () => Promise.resolve(distinctBodies(out).length >= n),
        60_000,
      );
      expect(queueState(vhost, connectors.inputQueue).consumers).toBe(1);

      // Outputs confirmed whose inputs were not acked yet come again with the same message
      // id; dropping those, every input is out exactly once, in input order.
      const inputs = distinctBodies(out).map((body) => (JSON.parse(body) as { i: number }).i);
      expect(inputs).toEqual(Array.from({ length: n }, (_, i) => i));
      await runner.stop();
    } finally {
      await edge.close();
    }
  });
});
