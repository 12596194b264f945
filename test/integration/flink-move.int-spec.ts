/**
 * Moves between the edge and Flink through POST /api/move while events flow: proxy, adapter
 * (FLINK_REST_URL set) and agent gw1 as separate processes against the real Flink cluster,
 * RabbitMQ and PostgreSQL. At most one Flink job at a time; everything is uninstalled.
 */
import { liveFlinkJobsOf } from './support/flink';
import { jobDetails, windowCountInstallation } from './support/flink-rules';
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

interface WindowSum {
  windowStart: number;
  windowEnd: number;
  key: string;
  aggregate: string;
  value: number;
  count: number;
}

describe('moves between edge and Flink (real Flink, RabbitMQ, PostgreSQL)', () => {
  const suite = useFlinkSuite();
  const { call, move } = suite;

  /** Publishes in small confirmed batches over ~30 s, so both moves happen mid-stream. */
  const paced = async (exchange: string, routingKey: string, events: object[]): Promise<void> => {
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

  it('moves a stateful rule edge -> flink -> edge with its open window; dropState still drops it when asked', async () => {
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
    const drained = async (what: string) =>
      waitUntil(what, async () => {
        const queue = await amqp.channel.checkQueue(connectors.inputQueue);
        return queue.messageCount === 0;
      });
    // Window [0,1000) of device a is open on the edge with two events.
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      { device: 'a', ts: 100 },
      { device: 'a', ts: 200 },
    ]);
    await drained('the edge rule took the events');

    // No dropState: the open window goes to Flink in the neutral snapshot.
    const onFlink = await call('move', {
      target_runtime: 'flink',
      targetResource: CLUSTER,
      jobInfo: running,
    });
    expect(onFlink).toMatchObject({ runtime: 'flink', jobStatus: 'RUNNING' });
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(1);
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      { device: 'a', ts: 700 },
    ]);
    await drained('the Flink rule took the event');

    // And back, exported from Flink's stop savepoint: the window now holds three events.
    const backOnEdge = await call('move', {
      target_runtime: 'edge',
      targetResource: 'gw1',
      jobInfo: onFlink,
    });
    expect(backOnEdge).toMatchObject({ runtime: 'edge', jobStatus: 'RUNNING' });
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      { device: 'a', ts: 800 },
      { device: 'a', ts: 1500 },
    ]);
    await waitUntil('window [0,1000) on the edge', async () => output.count >= 1, 120_000);

    // An explicit dropState still drops: window [1000,2000) starts afresh on Flink.
    const dropped = await call('move', {
      target_runtime: 'flink',
      targetResource: CLUSTER,
      jobInfo: backOnEdge,
      dropState: true,
    });
    const details = await jobDetails(system, installed.jobId);
    expect(details.history.at(-1)).toMatchObject({
      status: 'RUNNING',
      runtime: 'flink',
      targetResource: CLUSTER,
      reason: expect.stringContaining('window state dropped'),
    });
    expect(details.history.filter((h) => h.reason?.includes('window state dropped'))).toHaveLength(
      1,
    );
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      { device: 'a', ts: 1700 },
      { device: 'a', ts: 2500 },
    ]);
    await waitUntil('window [1000,2000) on Flink', async () => output.count >= 2, 120_000);
    expect(output.outputs.map((o) => [o.from, o.body])).toEqual([
      [
        'edge',
        { windowStart: 0, windowEnd: 1000, key: 'a', aggregate: 'count', value: 4, count: 4 },
      ],
      [
        'flink',
        { windowStart: 1000, windowEnd: 2000, key: 'a', aggregate: 'count', value: 1, count: 1 },
      ],
    ]);
    expect((await call('uninstall', dropped)).jobStatus).toBe('UNINSTALLED');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
  });
  it('moves a window rule with 1,000 keys edge -> flink -> edge mid-window under 20,000 events: every window result exact, none missing or twice', async () => {
    const { amqp, started } = suite;
    const connectors = uniqueConnectors('move-window-load');
    const keys = 1_000;
    const sizeMs = 5_000;
    const installed = await call('install', {
      headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'window-aggregation' },
      jobConfig: { connectors },
      jobProps: {
        aggregate: 'sum',
        fieldJsonPath: '$.v',
        window: { kind: 'tumbling', time: 'event', sizeMs },
        timeFieldJsonPath: '$.ts',
        groupByJsonPath: '$.device',
      },
    });
    started.add(installed.jobId);
    const running = await call('start', installed);
    const output = await TimedCollector.start<WindowSum>(
      amqp,
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    // Event i: key d<i % 1000>, time i, value i. Every key has one open window at any time
    // (1,000 open windows), five events in each; the sentinel's time fires the last ones.
    const events = Array.from({ length: 20_000 }, (_, i) => ({
      device: `d${i % keys}`,
      ts: i,
      v: i,
    }));
    const expected: WindowSum[] = [];
    for (let w = 0; w < 20_000 / sizeMs; w++) {
      for (let k = 0; k < keys; k++) {
        const values = [0, 1, 2, 3, 4].map((j) => w * sizeMs + k + j * keys);
        expected.push({
          windowStart: w * sizeMs,
          windowEnd: (w + 1) * sizeMs,
          key: `d${k}`,
          aggregate: 'sum',
          value: values.reduce((a, b) => a + b, 0),
          count: 5,
        });
      }
    }
    const publishing = paced(connectors.inputExchange, connectors.inputRoutingKey, events).then(
      () =>
        suite.producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
          { device: 'sentinel', ts: 1_000_000, v: 0 },
        ]),
    );

    // Each move lands mid-window: the windows of the next 5,000 events are open on every key.
    await waitUntil('first windows on the edge', async () => output.countFrom('edge') >= keys);
    const onFlink = await move(running, 'flink', CLUSTER);
    await waitUntil(
      'windows fired on Flink',
      async () => output.countFrom('flink') >= keys,
      120_000,
    );
    const backOnEdge = await move(onFlink, 'edge', 'gw1');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
    await publishing;

    await waitUntil('every window result', async () => output.count >= expected.length, 120_000);
    const byWindow = new Map<string, WindowSum[]>();
    for (const { body } of output.outputs) {
      const id = `${body.key}@${body.windowStart}`;
      byWindow.set(id, [...(byWindow.get(id) ?? []), body]);
    }
    const missing = expected.filter((e) => !byWindow.has(`${e.key}@${e.windowStart}`));
    const twice = [...byWindow].filter(([, results]) => results.length > 1).map(([id]) => id);
    const different = expected.filter((e) => {
      const got = byWindow.get(`${e.key}@${e.windowStart}`)?.[0];
      return got !== undefined && JSON.stringify(got) !== JSON.stringify(e);
    });
    expect({ missing: missing.length, twice, different: different.slice(0, 5) }).toEqual({
      missing: 0,
      twice: [],
      different: [],
    });
    expect(output.count).toBe(expected.length);
    const handovers = output.handovers();
    expect(handovers.map((h) => `${h.from}->${h.to}`)).toEqual(['edge->flink', 'flink->edge']);
    console.log(
      `window move pause with ${keys} open windows: ${handovers
        .map((h) => `${h.from}->${h.to} ${h.pauseMs} ms`)
        .join(', ')}`,
    );
    expect((await call('uninstall', backOnEdge)).jobStatus).toBe('UNINSTALLED');
  });
});
