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
import type { RuleConfig, RuleSnapshot } from '@ruleshift/contracts';
import {
  asMultiset,
  createRuleRunner,
  loadEdgeRuleModule,
  runVector,
  type CheckpointStore,
  type RuleRunner,
} from '@ruleshift/engine';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { AmqpTestClient, type Collector } from '../integration/support/amqp';
import { createPrivateVhosts, type PrivateVhosts } from '../integration/support/private-vhosts';
import { closeConnectionNamed, queueState } from '../integration/support/rabbitmqctl';
import { waitUntil } from '../integration/support/system';

const templates = resolve(__dirname, '../../templates');
const T0 = Date.UTC(2026, 0, 1);

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

class MemoryCheckpoints implements CheckpointStore {
  private stored?: RuleSnapshot;
  load(): Promise<RuleSnapshot | undefined> {
    return Promise.resolve(this.stored);
  }
  save(snapshot: RuleSnapshot): Promise<void> {
    this.stored = snapshot;
    return Promise.resolve();
  }
}

describe('chaos: edge RuleRunner with its broker connection closed mid-stream', () => {
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

  it('a window aggregation counts every input exactly once when the broker closes its connection mid-stream', async () => {
    const connectors = { ...connectorsFor('reconnect-window'), prefetch: 256 };
    const { brokers, edgeConnectionName } = await brokersFor('reconnect-window');
    const edge = await AmqpTestClient.connect(vhosts.edgeUrl);
    try {
      const out = await test.collect(
        connectors.outputExchange,
        connectors.outputRoutingKey,
        `${connectors.outputExchange}.c`,
      );
      const jobProps = {
        aggregate: 'sum',
        fieldJsonPath: '$.v',
        window: { kind: 'tumbling', time: 'event', sizeMs: 1000 },
        timeFieldJsonPath: '$.ts',
        groupByJsonPath: '$.k',
        maxOutOfOrdernessMs: 200,
      };
      const far = T0 + 10_000_000;
      const events = Array.from({ length: 20_000 }, (_, i) =>
        Buffer.from(JSON.stringify({ k: `k${i % 20}`, v: (i % 13) + 1, ts: T0 + i * 5, i })),
      );
      events.push(Buffer.from(JSON.stringify({ k: 'k0', v: 0, ts: far, i: -1 })));
      const module = loadEdgeRuleModule(`${templates}/window-aggregation/edge/rule.js`);
      const expected = await runVector(module, {
        name: 'reconnect-window',
        jobProps,
        inputs: events.map((body) => ({ input: 0, raw: body.toString() })),
        expected: { outputs: [], deadLetters: [] },
        ordered: false,
      });
      const closedWindows = expected.outputs.filter(
        (o) => (o as { windowEnd: number }).windowEnd <= far - jobProps.maxOutOfOrdernessMs,
      );
      expect(closedWindows.length).toBeGreaterThan(1000);

      const config = ruleConfig('window-aggregation', jobProps, connectors);
      await declareRuleTopology(brokers, config);
      const runner = createRuleRunner(module, config, {
        brokers,
        checkpoints: new MemoryCheckpoints(),
        checkpointIntervalMs: 200,
      });
      runners.push(runner);
      await runner.start();

      const split = 8000;
      await edge.publishRaw(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        events.slice(0, split),
      );
      await waitUntil(
        'the rule is mid-stream',
        () => Promise.resolve(runner.metrics().eventsIn >= 3000),
        60_000,
      );
      closeConnectionNamed(edgeConnectionName, 'runner-faults test');
      await edge.publishRaw(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        events.slice(split),
      );

      // Each window is emitted once, when the final far event closes it: wait for all of them.
      await waitUntil(
        'every window out',
        () => Promise.resolve(distinctBodies(out).length >= closedWindows.length),
        40_000,
      ).catch((error: unknown) => {
        throw new Error(
          `${String(error)}: ${distinctBodies(out).length}/${closedWindows.length} ${JSON.stringify(runner.metrics())} ${runner.status} ${JSON.stringify(queueState(vhostOf(vhosts.edgeUrl), connectors.inputQueue))}`,
        );
      });
      expect(runner.status).toBe('RUNNING');
      const windows = distinctBodies(out)
        .map((body) => JSON.parse(body) as { windowEnd: number })
        .filter((o) => o.windowEnd <= far - jobProps.maxOutOfOrdernessMs);
      // A redelivered input absorbed twice would change a sum (every value is positive).
      expect(asMultiset(windows)).toEqual(asMultiset(closedWindows));
      await runner.stop();
    } finally {
      await edge.close();
    }
  });
});
