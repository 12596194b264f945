/**
 * Moves between the edge and Flink through POST /api/move while events flow: proxy, adapter
 * (FLINK_REST_URL set) and agent gw1 as separate processes against the real Flink cluster,
 * RabbitMQ and PostgreSQL. At most one Flink job at a time; everything is uninstalled.
 */
import { liveFlinkJobsOf } from './support/flink';
import { type ErrorBody, jobDetails, windowCountInstallation } from './support/flink-rules';
import { FLINK_CLUSTER as CLUSTER, useFlinkSuite } from './support/flink-suite';
import {
  aboveThreshold,
  filterInstallation,
  readings,
  type Reading,
  uniqueConnectors,
} from './support/rules';
import { sleep, waitUntil } from './support/system';
import { TimedCollector } from './support/timed-collector';

describe('moves between edge and Flink (real Flink, RabbitMQ, PostgreSQL)', () => {
  const suite = useFlinkSuite();
  const { call, move } = suite;

  /** Publishes in small confirmed batches over ~30 s, so both moves happen mid-stream. */
  const paced = async (exchange: string, routingKey: string, events: Reading[]): Promise<void> => {
    for (let i = 0; i < events.length; i += 250) {
      await suite.producer.publishJson(exchange, routingKey, events.slice(i, i + 250));
      await sleep(300);
    }
  };

  it('moves a running filter edge -> flink -> edge under 20,000 events: each output exactly once', async () => {
    const { system, amqp, started } = suite;
    const connectors = uniqueConnectors('move-flink');
    const installed = await call('install', filterInstallation('gw1', connectors));
    started.add(installed.jobId);
    const running = await call('start', installed);
    const output = await TimedCollector.start<Reading>(
      amqp,
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(20_000);
    const expected = aboveThreshold(events);
    const publishing = paced(connectors.inputExchange, connectors.inputRoutingKey, events);

    await waitUntil('edge outputs before the move', async () => output.countFrom('edge') > 500);
    const onFlink = await move(running, 'flink', CLUSTER);
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(1);
    await waitUntil('flink outputs', async () => output.countFrom('flink') > 500, 120_000);
    const backOnEdge = await move(onFlink, 'edge', 'gw1');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
    const stillPublishing = output.count < expected.length;
    await publishing;

    await waitUntil('every output', async () => output.count >= expected.length, 120_000);
    await sleep(2_000); // a duplicate would arrive late: give it time
    const perSeq = new Map<number, number>();
    for (const { body } of output.outputs) perSeq.set(body.seq, (perSeq.get(body.seq) ?? 0) + 1);
    const missing = expected.filter((e) => !perSeq.has(e.seq)).map((e) => e.seq);
    const twice = [...perSeq].filter(([, n]) => n > 1).map(([seq]) => seq);
    expect({ missing, twice }).toEqual({ missing: [], twice: [] });
    expect(output.count).toBe(expected.length);
    expect(output.outputs.map((o) => o.body).sort((a, b) => a.seq - b.seq)).toEqual(expected);
    // The moves happened while events were still flowing, on each placement in turn.
    expect(stillPublishing).toBe(true);
    const handovers = output.handovers();
    expect(handovers.map((h) => `${h.from}->${h.to}`)).toEqual(['edge->flink', 'flink->edge']);
    console.log(
      `move pause (last output of old placement -> first of new): ${handovers
        .map((h) => `${h.from}->${h.to} ${h.pauseMs} ms`)
        .join(', ')}`,
    );

    const details = await jobDetails(system, installed.jobId);
    expect(details).toMatchObject({ runtime: 'edge', targetResource: 'gw1', jobStatus: 'RUNNING' });
    expect(details.history.map((h) => `${h.status}@${h.runtime}/${h.targetResource}`)).toEqual([
      'INSTALLED@edge/gw1',
      'RUNNING@edge/gw1',
      `RUNNING@flink/${CLUSTER}`,
      'RUNNING@edge/gw1',
    ]);
    expect((await call('uninstall', backOnEdge)).jobStatus).toBe('UNINSTALLED');
  });

  it('moves a stateful rule with open windows to Flink only with dropState, and records the drop', async () => {
    const { system, amqp, producer, started } = suite;
    const connectors = uniqueConnectors('move-window');
    const installed = await call('install', windowCountInstallation('edge', 'gw1', connectors));
    started.add(installed.jobId);
    const running = await call('start', installed);
    const output = await TimedCollector.start<Record<string, unknown>>(
      amqp,
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    // Window [0,1000) of device a is open on the edge with two events.
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      { device: 'a', ts: 100 },
      { device: 'a', ts: 200 },
    ]);
    await waitUntil('the edge rule took the events', async () => {
      const queue = await amqp.channel.checkQueue(connectors.inputQueue);
      return queue.messageCount === 0;
    });

    const refused = await system.api<ErrorBody>('POST', '/api/move', {
      target_runtime: 'flink',
      targetResource: CLUSTER,
      jobInfo: running,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'dropState', reason: expect.stringContaining('dropState') }),
    ]);
    const untouched = await jobDetails(system, installed.jobId);
    expect(untouched).toMatchObject({
      runtime: 'edge',
      targetResource: 'gw1',
      jobStatus: 'RUNNING',
    });
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);

    const moved = await call('move', {
      target_runtime: 'flink',
      targetResource: CLUSTER,
      jobInfo: running,
      dropState: true,
    });
    expect(moved).toMatchObject({ runtime: 'flink', jobStatus: 'RUNNING' });
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(1);
    const details = await jobDetails(system, installed.jobId);
    expect(details.history.at(-1)).toMatchObject({
      status: 'RUNNING',
      runtime: 'flink',
      targetResource: CLUSTER,
      reason: expect.stringContaining('window state dropped'),
    });

    // The window starts afresh on Flink: only the event sent after the move is counted.
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      { device: 'a', ts: 700 },
      { device: 'a', ts: 1500 },
    ]);
    await waitUntil('window [0,1000) on Flink', async () => output.count >= 1, 120_000);
    await sleep(2_000);
    expect(output.outputs.map((o) => [o.from, o.body])).toEqual([
      [
        'flink',
        { windowStart: 0, windowEnd: 1000, key: 'a', aggregate: 'count', value: 1, count: 1 },
      ],
    ]);
    expect((await call('uninstall', moved)).jobStatus).toBe('UNINSTALLED');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
  });
});
