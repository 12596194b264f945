/**
 * The edge RuleRunner on the real RabbitMQ (its own vhosts) when the broker closes the rule's
 * input connection mid-stream (`rabbitmqctl close_connection`, only this test's own connection,
 * selected by its client-provided name) while the process runs on: the connection comes back by
 * itself, RabbitMQ redelivers every input it had not seen acked, and a stateful rule must absorb
 * each input exactly once.
 */
import { declareRuleTopology } from '@ruleshift/broker';
import { asMultiset, createRuleRunner, loadEdgeRuleModule, runVector } from '@ruleshift/engine';
import { AmqpTestClient } from './support/amqp';
import {
  connectorsFor,
  distinctBodies,
  EdgeRunnerHarness,
  MemoryCheckpoints,
  ruleConfig,
  TEMPLATES_DIR,
} from './support/edge-runner-harness';
import { closeConnectionNamed, queueState } from './support/rabbitmqctl';
import { waitUntil } from './support/system';

const T0 = Date.UTC(2026, 0, 1);

describe('edge RuleRunner with its broker connection closed mid-stream (real RabbitMQ)', () => {
  let harness: EdgeRunnerHarness;

  beforeAll(async () => {
    harness = await EdgeRunnerHarness.create('it-runner-reconnect');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('a window aggregation counts every input exactly once when the broker closes its connection mid-stream', async () => {
    const connectors = connectorsFor('reconnect-window', 256);
    const { brokers, edgeConnectionName } = await harness.brokersFor('reconnect-window');
    const edge = await AmqpTestClient.connect(harness.vhosts.edgeUrl);
    try {
      const out = await harness.core.collect(
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
      const module = loadEdgeRuleModule(`${TEMPLATES_DIR}/window-aggregation/edge/rule.js`);
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
      const runner = harness.track(
        createRuleRunner(module, config, {
          brokers,
          checkpoints: new MemoryCheckpoints(),
          checkpointIntervalMs: 200,
        }),
      );
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
      closeConnectionNamed(edgeConnectionName, 'runner reconnect test');
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
          `${String(error)}: ${distinctBodies(out).length}/${closedWindows.length} ${JSON.stringify(runner.metrics())} ${runner.status} ${JSON.stringify(queueState(harness.edgeVhost, connectors.inputQueue))}`,
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
