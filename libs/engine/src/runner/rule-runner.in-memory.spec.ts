/** The runner against the in-process broker: real queues, prefetch, confirms and requeue. */
import { InMemoryBroker, type BrokerConnection, type BrokerRegistry } from '@ruleshift/broker';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_HEADERS, type RuleConfig } from '@ruleshift/contracts';
import { resolve } from 'node:path';
import { loadEdgeRuleModule } from '../load-edge-rule-module';
import { createRuleRunner } from './rule-runner';

const filterModule = loadEdgeRuleModule(
  resolve(__dirname, '../../../../templates/filter/edge/rule.js'),
);

const config: RuleConfig = {
  jobId: 'job-mem',
  jobType: 'filter',
  templateVersion: '1.0.0',
  deadLetterExchange: DEAD_LETTER_EXCHANGE,
  jobProps: { condition: '>=', threshold: 50, fieldName: 'level' },
  connectors: {
    inputEndpoint: 'edge',
    inputExchange: 'levels',
    inputQueue: 'levels.q',
    inputRoutingKey: 'lvl',
    outputEndpoint: 'edge',
    outputExchange: 'high',
    outputRoutingKey: 'h',
    prefetch: 8,
  },
};

async function drain(
  broker: BrokerConnection,
  queue: string,
): Promise<{ body: string; headers: Record<string, unknown> }[]> {
  const got: { body: string; headers: Record<string, unknown> }[] = [];
  const consumer = await broker.consume(
    queue,
    (d) => {
      got.push({ body: d.body.toString(), headers: d.headers });
      consumer.ack(d);
    },
    { prefetch: 1000 },
  );
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  await consumer.close();
  return got;
}

describe('RuleRunner on the in-memory broker', () => {
  it('filters, dead-letters and leaves the input queue empty after stop', async () => {
    const broker = new InMemoryBroker('edge');
    const brokers: BrokerRegistry = {
      get: () => Promise.resolve(broker),
      validateEndpoint: () => undefined,
      closeAll: () => broker.close(),
    };
    await broker.assert({
      exchanges: [
        { name: 'levels', type: 'direct' },
        { name: 'high', type: 'direct' },
        { name: DEAD_LETTER_EXCHANGE, type: 'direct' },
      ],
      queues: [{ name: 'levels.q' }, { name: 'high.q' }, { name: 'ruleshift.dlq.job-mem' }],
      bindings: [
        { queue: 'levels.q', exchange: 'levels', routingKey: 'lvl' },
        { queue: 'high.q', exchange: 'high', routingKey: 'h' },
        { queue: 'ruleshift.dlq.job-mem', exchange: DEAD_LETTER_EXCHANGE, routingKey: 'job-mem' },
      ],
    });
    // Odd spacing and a trailing zero: a forwarded event must leave byte for byte as it came.
    const body = (i: number): string => `{ "i": ${i},  "level": ${i}.0 }`;
    for (let i = 0; i < 100; i++) {
      await broker.publish('levels', 'lvl', Buffer.from(body(i)));
    }
    await broker.publish('levels', 'lvl', Buffer.from('oops'));

    const runner = createRuleRunner(filterModule, config, { brokers });
    await runner.start();
    while ((await broker.queueDepth('levels.q')) > 0) await new Promise((r) => setImmediate(r));
    await runner.stop();

    expect(await broker.queueDepth('levels.q')).toBe(0);
    const outputs = await drain(broker, 'high.q');
    expect(outputs.map((m) => m.body)).toEqual(Array.from({ length: 50 }, (_, k) => body(k + 50)));
    const letters = await drain(broker, 'ruleshift.dlq.job-mem');
    expect(letters).toEqual([
      {
        body: 'oops',
        headers: expect.objectContaining({ [DEAD_LETTER_HEADERS.reason]: 'not-json' }),
      },
    ]);
    expect(runner.metrics()).toEqual({
      eventsIn: 101,
      eventsOut: 50,
      deadLettered: { 'not-json': 1 },
    });
    await broker.close();
  });

  it('consumes every partition queue of a partitioned input (after a move from Flink), each in order', async () => {
    const broker = new InMemoryBroker('edge');
    const brokers: BrokerRegistry = {
      get: () => Promise.resolve(broker),
      validateEndpoint: () => undefined,
      closeAll: () => broker.close(),
    };
    const partitions = ['levels.q.p0', 'levels.q.p1', 'levels.q.p2'];
    const partitioned: RuleConfig = {
      ...config,
      parallelism: 3,
      connectors: { ...config.connectors, inputQueues: partitions },
    };
    // The consistent-hash exchange is RabbitMQ's; here each partition has a routing key of its own.
    await broker.assert({
      exchanges: [
        { name: 'levels', type: 'direct' },
        { name: 'high', type: 'direct' },
        { name: DEAD_LETTER_EXCHANGE, type: 'direct' },
      ],
      queues: [...partitions.map((name) => ({ name })), { name: 'high.q' }],
      bindings: [
        ...partitions.map((queue, p) => ({ queue, exchange: 'levels', routingKey: `p${p}` })),
        { queue: 'high.q', exchange: 'high', routingKey: 'h' },
      ],
    });
    const body = (key: number, i: number): string => JSON.stringify({ key, i, level: 60 });
    for (let i = 0; i < 20; i++) {
      for (let key = 0; key < 6; key++) {
        await broker.publish('levels', `p${key % 3}`, Buffer.from(body(key, i)));
      }
    }

    const runner = createRuleRunner(filterModule, partitioned, { brokers });
    await runner.start();
    const depth = async () => {
      let ready = 0;
      for (const queue of partitions) ready += await broker.queueDepth(queue);
      return ready;
    };
    while ((await depth()) > 0) await new Promise((r) => setImmediate(r));
    await runner.stop();

    const outputs = (await drain(broker, 'high.q')).map(
      (m) => JSON.parse(m.body) as { key: number; i: number },
    );
    expect(outputs).toHaveLength(120);
    for (let key = 0; key < 6; key++) {
      expect(outputs.filter((o) => o.key === key).map((o) => o.i)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
    }
    expect(runner.metrics()).toMatchObject({ eventsIn: 120, eventsOut: 120 });
    await broker.close();
  });
});
