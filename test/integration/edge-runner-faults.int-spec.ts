/**
 * The edge RuleRunner on the real RabbitMQ (its own vhosts) when its output exchange is deleted
 * under it while the process runs on: the rule fails and must give back every delivery it holds,
 * at once and in order. (The connection closed mid-stream: edge-runner-connection-closed.)
 */
import { declareRuleTopology } from '@ruleshift/broker';
import { createRuleRunner, loadEdgeRuleModule } from '@ruleshift/engine';
import { AmqpTestClient } from './support/amqp';
import {
  connectorsFor,
  distinctBodies,
  EdgeRunnerHarness,
  ruleConfig,
  TEMPLATES_DIR,
} from './support/edge-runner-harness';
import { queueState } from './support/rabbitmqctl';
import { waitUntil } from './support/system';

describe('edge RuleRunner whose output exchange is deleted (real RabbitMQ)', () => {
  let harness: EdgeRunnerHarness;

  beforeAll(async () => {
    harness = await EdgeRunnerHarness.create('it-runner-faults');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('a rule whose output exchange is deleted fails, requeues what it holds at once and in order; a restart outputs each input once, with one consumer', async () => {
    const connectors = connectorsFor('fail-release');
    const { brokers } = await harness.brokersFor('fail-release');
    const edge = await AmqpTestClient.connect(harness.vhosts.edgeUrl);
    try {
      const config = ruleConfig(
        'filter',
        { condition: '>', threshold: 20, fieldName: 't' },
        connectors,
      );
      await declareRuleTopology(brokers, config);
      const out = await harness.core.collect(
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
        loadEdgeRuleModule(`${TEMPLATES_DIR}/filter/edge/rule.js`),
        config,
        { brokers, onFailure: (reason) => failures.push(reason) },
      );
      harness.track(runner);
      await runner.start();
      await waitUntil('outputs before the fault', () => Promise.resolve(out.count >= 200), 30_000);
      await harness.core.channel.deleteExchange(connectors.outputExchange);
      await edge.publishRaw(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        readings.slice(1000),
      );
      await waitUntil('the rule failed', () => Promise.resolve(failures.length > 0), 30_000);
      expect(runner.status).toBe('FAILED');

      // Released at once, while the process and its connection live on: nothing held.
      const vhost = harness.edgeVhost;
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
      await harness.core.channel.assertExchange(connectors.outputExchange, 'direct', {
        durable: true,
      });
      await harness.core.channel.bindQueue(
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
