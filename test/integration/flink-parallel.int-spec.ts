/**
 * A rule with `"parallelism": 4` on a Flink cluster of two TaskManagers, reading its input
 * through RabbitMQ's consistent-hash exchange into four partition queues (the key published as
 * header `deviceId`): proxy, adapter (FLINK_REST_URL set) and agent gw1 as separate processes
 * against the real Flink cluster, RabbitMQ and PostgreSQL.
 */
import { FLINK_REST_URL } from './support/services';
import { liveFlinkJobsOf } from './support/flink';
import { type ErrorBody, jobDetails } from './support/flink-rules';
import { FLINK_CLUSTER as CLUSTER, useFlinkSuite } from './support/flink-suite';
import { type NamedConnectors, uniqueConnectors } from './support/rules';
import { sleep, waitUntil } from './support/system';
import { TimedCollector } from './support/timed-collector';

const PARALLELISM = 4;
const KEYS = 1_000;

interface KeyedEvent {
  deviceId: string;
  /** The event's position among its key's events. */
  i: number;
  ts?: number;
  v?: number;
}

interface WindowOutput {
  key: string;
  aggregate: string;
  value: number;
  count: number;
}

interface TimedWindowOutput extends WindowOutput {
  windowStart: number;
  windowEnd: number;
}

/** `perKey` events for each of KEYS keys, the keys interleaved: event i of every key, i+1... */
function keyedEvents(perKey: number): KeyedEvent[] {
  const events: KeyedEvent[] = [];
  for (let i = 0; i < perKey; i++) {
    for (let k = 0; k < KEYS; k++) events.push({ deviceId: `dev-${k}`, i });
  }
  return events;
}

/** Count windows of `size` events per device over `$.i`, on Flink with parallelism 4 (or given). */
function parallelWindowRule(
  connectors: NamedConnectors,
  aggregate: 'sum' | 'max',
  size: number,
  parallelism = PARALLELISM,
): Record<string, unknown> {
  return {
    headers: { runtime: 'flink', targetResource: CLUSTER, jobType: 'window-aggregation' },
    jobConfig: {
      connectors: { ...connectors, partitionKey: { source: 'header', name: 'deviceId' } },
      parallelism,
    },
    jobProps: {
      aggregate,
      fieldJsonPath: '$.i',
      window: { kind: 'count', time: 'processing', size },
      groupByJsonPath: '$.deviceId',
    },
  };
}

/** The Flink REST answer for the rule's live job: each vertex's parallelism and TaskManagers. */
async function flinkVerticesOf(
  jobId: string,
): Promise<{ name: string; parallelism: number; taskManagers: Set<string> }[]> {
  const [job] = await liveFlinkJobsOf(jobId);
  const details = (await (await fetch(`${FLINK_REST_URL}/jobs/${job.jid}`)).json()) as {
    vertices: { id: string; name: string; parallelism: number }[];
  };
  return Promise.all(
    details.vertices.map(async (vertex) => {
      const subtasks = (await (
        await fetch(`${FLINK_REST_URL}/jobs/${job.jid}/vertices/${vertex.id}`)
      ).json()) as { subtasks: { 'taskmanager-id': string }[] };
      return {
        name: vertex.name,
        parallelism: vertex.parallelism,
        taskManagers: new Set(subtasks.subtasks.map((s) => s['taskmanager-id'])),
      };
    }),
  );
}

describe('a parallel rule over a partitioned input (Flink, two TaskManagers)', () => {
  const suite = useFlinkSuite({ taskManagers: 2 });
  const { call, move } = suite;

  /** Publishes with the key in header deviceId (what the consistent-hash exchange hashes). */
  const publishKeyed = async (connectors: NamedConnectors, events: KeyedEvent[]): Promise<void> => {
    const channel = suite.producer.channel;
    for (let at = 0; at < events.length; at += 500) {
      for (const event of events.slice(at, at + 500)) {
        channel.publish(
          connectors.inputExchange,
          connectors.inputRoutingKey,
          Buffer.from(JSON.stringify(event)),
          {
            persistent: true,
            contentType: 'application/json',
            headers: { deviceId: event.deviceId },
          },
        );
      }
      await channel.waitForConfirms();
    }
  };

  /** Outputs per key in arrival order. */
  const byKey = <T extends WindowOutput>(outputs: T[]): Map<string, T[]> => {
    const keys = new Map<string, T[]>();
    for (const o of outputs) keys.set(o.key, [...(keys.get(o.key) ?? []), o]);
    return keys;
  };

  it('refuses parallelism where it makes no sense, naming the field', async () => {
    const { system } = suite;
    const connectors = uniqueConnectors('parallel-refused');
    const onEdge = await system.api<ErrorBody>('POST', '/api/install', {
      ...parallelWindowRule(connectors, 'sum', 10),
      headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'window-aggregation' },
    });
    expect(onEdge.status).toBe(400);
    expect(onEdge.body.errors).toEqual([
      expect.objectContaining({ field: 'jobConfig.parallelism' }),
    ]);
    const noKey = parallelWindowRule(connectors, 'sum', 10) as {
      jobConfig: { connectors: Record<string, unknown> };
    };
    delete noKey.jobConfig.connectors.partitionKey;
    const refused = await system.api<ErrorBody>('POST', '/api/install', noKey);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'jobConfig.connectors.partitionKey' }),
    ]);
  });

  it('refuses at install, start and move a rule whose parallelism exceeds the free task slots, naming jobConfig.parallelism', async () => {
    const { system, started } = suite;
    const freeSlots = async (): Promise<number> =>
      ((await (await fetch(`${FLINK_REST_URL}/overview`)).json()) as { 'slots-available': number })[
        'slots-available'
      ];
    const refusedForSlots = (answer: { status: number; body: ErrorBody }): void => {
      expect(answer.status).toBe(409);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          field: 'jobConfig.parallelism',
          reason: expect.stringContaining('free task slots') as unknown,
        }),
      ]);
    };
    const free = await freeSlots();
    expect(free).toBeGreaterThan(2);

    const tooWide = await system.api<ErrorBody>(
      'POST',
      '/api/install',
      parallelWindowRule(uniqueConnectors('parallel-too-wide'), 'sum', 10, free + 1),
    );
    refusedForSlots(tooWide);

    // A rule of parallelism 2 installed while it fits, then a wider one takes all but one slot.
    const narrow = await call(
      'install',
      parallelWindowRule(uniqueConnectors('parallel-narrow'), 'sum', 10, 2),
    );
    started.add(narrow.jobId);
    const wide = await call(
      'install',
      parallelWindowRule(uniqueConnectors('parallel-wide'), 'sum', 10, free - 1),
    );
    started.add(wide.jobId);
    const wideRunning = await call('start', wide);
    expect(await freeSlots()).toBe(1);

    refusedForSlots(await system.api<ErrorBody>('POST', '/api/start', narrow));
    expect(await liveFlinkJobsOf(narrow.jobId)).toHaveLength(0);
    expect((await jobDetails(system, narrow.jobId)).jobStatus).toBe('INSTALLED');

    // On an agent, it cannot move back while the slots are taken: refused before the rule is
    // stopped where it runs.
    const movedToEdge = await call('move', {
      target_runtime: 'edge',
      targetResource: 'gw1',
      jobInfo: narrow,
      dropState: true,
    });
    const onEdge = await call('start', movedToEdge);
    expect(onEdge).toMatchObject({ runtime: 'edge', jobStatus: 'RUNNING' });
    refusedForSlots(
      await system.api<ErrorBody>('POST', '/api/move', {
        target_runtime: 'flink',
        targetResource: CLUSTER,
        jobInfo: onEdge,
        dropState: true,
      }),
    );
    expect(await jobDetails(system, narrow.jobId)).toMatchObject({
      runtime: 'edge',
      jobStatus: 'RUNNING',
    });

    // The slots are free again for the tests after this one.
    expect((await call('uninstall', wideRunning)).jobStatus).toBe('UNINSTALLED');
    expect((await call('uninstall', onEdge)).jobStatus).toBe('UNINSTALLED');
  });

  it('runs 4 subtasks over 4 partitions: 50,000 events of 1,000 keys, every window exact and in key order', async () => {
    const { amqp, started, system } = suite;
    const connectors = uniqueConnectors('parallel-window');
    const installed = await call('install', parallelWindowRule(connectors, 'sum', 10));
    started.add(installed.jobId);
    const { content: config } = (
      await system.api<{ content: { connectors: { inputQueues: string[] }; parallelism: number } }>(
        'GET',
        `/api/jobs/${installed.jobId}/config`,
      )
    ).body;
    const partitions = [0, 1, 2, 3].map((p) => `${connectors.inputQueue}.p${p}`);
    expect(config).toMatchObject({ parallelism: 4, connectors: { inputQueues: partitions } });
    expect(await amqp.exchangeExists(`${connectors.inputQueue}.partitions`)).toBe(true);
    for (const queue of partitions) expect(await amqp.queueExists(queue)).toBe(true);
    expect(await amqp.queueExists(connectors.inputQueue)).toBe(false);

    await call('start', installed);
    const vertices = await flinkVerticesOf(installed.jobId);
    const source = vertices.find((v) => v.name.includes('rmq-in'));
    expect(source?.parallelism).toBe(PARALLELISM);
    // Spread over both TaskManagers (taskmanager.load-balance.mode: SLOTS).
    expect(new Set(vertices.flatMap((v) => [...v.taskManagers])).size).toBe(2);

    const output = await TimedCollector.start<WindowOutput>(
      amqp,
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const perKey = 50;
    await publishKeyed(connectors, keyedEvents(perKey));
    // Every partition got a share of the keys.
    for (const queue of partitions) {
      const { consumerCount } = await amqp.channel.checkQueue(queue);
      expect(consumerCount).toBe(1);
    }
    const windows = KEYS * (perKey / 10);
    await waitUntil('every window', async () => output.count >= windows, 300_000);
    // A window counted twice would come late: send one more full window of a sentinel key.
    await publishKeyed(
      connectors,
      Array.from({ length: 10 }, (_, i) => ({ deviceId: 'sentinel', i })),
    );
    await waitUntil('the sentinel window', async () =>
      output.outputs.some((o) => o.body.key === 'sentinel'),
    );

    const outputs = output.outputs.map((o) => o.body).filter((o) => o.key !== 'sentinel');
    expect(outputs).toHaveLength(windows);
    const keys = byKey(outputs);
    expect(keys.size).toBe(KEYS);
    const wrong: string[] = [];
    for (const [key, list] of keys) {
      // Window j of a key holds its events 10j..10j+9 only if they kept their order.
      const expected = [0, 1, 2, 3, 4].map((j) => ({ value: 100 * j + 45, count: 10 }));
      const got = list.map((o) => ({ value: o.value, count: o.count }));
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(key);
    }
    expect(wrong).toEqual([]);
    expect(await amqp.channel.checkQueue(`ruleshift.dlq.${installed.jobId}`)).toMatchObject({
      messageCount: 0,
    });
    expect((await call('uninstall', { ...installed, jobStatus: 'RUNNING' })).jobStatus).toBe(
      'UNINSTALLED',
    );
    for (const queue of partitions) expect(await amqp.queueExists(queue)).toBe(false);
    expect(await amqp.exchangeExists(`${connectors.inputQueue}.partitions`)).toBe(false);
  });

  it('moves an event-time window rule to an agent (which consumes every partition) and back to parallelism 4 under load, with its open windows: every window exact, none missing or twice, key order kept', async () => {
    const { amqp, started } = suite;
    const connectors = uniqueConnectors('parallel-move');
    const sizeMs = 5_000;
    const perKey = 40;
    // The keys of one partition fall behind the others, up to `lag` event times (the lag grows
    // while they keep coming, so their subtask stays active and aligned): its watermark is the
    // smallest, which the windows fire at. The agent takes the four partitions through one
    // watermark (deliveries interleaved): the rule allows for the lag and the interleaving.
    const lag = 5_000;
    const maxOutOfOrdernessMs = lag + 3_000;
    const installed = await call('install', {
      headers: { runtime: 'flink', targetResource: CLUSTER, jobType: 'window-aggregation' },
      jobConfig: {
        connectors: { ...connectors, partitionKey: { source: 'header', name: 'deviceId' } },
        parallelism: PARALLELISM,
      },
      jobProps: {
        aggregate: 'sum',
        fieldJsonPath: '$.v',
        window: { kind: 'tumbling', time: 'event', sizeMs },
        timeFieldJsonPath: '$.ts',
        maxOutOfOrdernessMs,
        groupByJsonPath: '$.deviceId',
      },
    });
    started.add(installed.jobId);
    const partitions = [0, 1, 2, 3].map((p) => `${connectors.inputQueue}.p${p}`);
    // Which keys the consistent-hash exchange sends to p0: one probe per key, read back from the
    // partition queues before the rule consumes them.
    await publishKeyed(
      connectors,
      Array.from({ length: KEYS }, (_, k) => ({ deviceId: `dev-${k}`, i: -1 })),
    );
    const partitionOf = new Map<string, number>();
    for (const [p, queue] of partitions.entries()) {
      for (;;) {
        const probe = await amqp.channel.get(queue, { noAck: true });
        if (probe === false) break;
        partitionOf.set(String(probe.properties.headers?.deviceId), p);
      }
    }
    expect(partitionOf.size).toBe(KEYS);
    const behind = new Set([...partitionOf].filter(([, p]) => p === 0).map(([key]) => key));
    expect(behind.size).toBeGreaterThan(0);
    const running = await call('start', installed);
    const output = await TimedCollector.start<TimedWindowOutput>(
      amqp,
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    // Event n: key dev-<n % 1000>, time n, value n. Every key has one or two open windows at any
    // time, five events in each; the sentinel's time fires the last ones.
    const events = keyedEvents(perKey).map((e, n) => ({ ...e, ts: n, v: n }));
    const expected = new Map<string, TimedWindowOutput>();
    for (const e of events) {
      const windowStart = e.ts - (e.ts % sizeMs);
      const id = `${e.deviceId}@${windowStart}`;
      const window = expected.get(id) ?? {
        windowStart,
        windowEnd: windowStart + sizeMs,
        key: e.deviceId,
        aggregate: 'sum',
        value: 0,
        count: 0,
      };
      expected.set(id, { ...window, value: window.value + e.v, count: window.count + 1 });
    }
    const publishedAt = (e: { deviceId: string; ts: number }): number =>
      e.ts + (behind.has(e.deviceId) ? Math.min(lag, e.ts / 2) : 0);
    // Stable sort: each key's events keep their order.
    const publishOrder = [...events].sort((a, b) => publishedAt(a) - publishedAt(b));
    let published = false;
    const publishing = (async () => {
      for (let at = 0; at < publishOrder.length; at += 250) {
        await publishKeyed(connectors, publishOrder.slice(at, at + 250));
        await sleep(300);
      }
      await publishKeyed(connectors, [{ deviceId: 'sentinel', i: 0, ts: 10_000_000, v: 0 }]);
      published = true;
    })();

    // Each move lands mid-window: every key has open windows holding events.
    await waitUntil('Flink windows fired', async () => output.countFrom('flink') >= KEYS, 120_000);
    const onEdge = await move(running, 'edge', 'gw1');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
    for (const queue of partitions) {
      const { consumerCount } = await amqp.channel.checkQueue(queue);
      expect(consumerCount).toBe(1);
    }
    await waitUntil('edge windows fired', async () => output.countFrom('edge') >= KEYS, 120_000);
    const backOnFlink = await move(onEdge, 'flink', CLUSTER);
    const source = (await flinkVerticesOf(installed.jobId)).find((v) => v.name.includes('rmq-in'));
    expect(source?.parallelism).toBe(PARALLELISM);
    const stillPublishing = !published;
    await publishing;

    // The sentinel's window stays open: it is the only one not expected.
    await waitUntil('every window', async () => output.count >= expected.size, 300_000);
    const byWindow = new Map<string, TimedWindowOutput[]>();
    for (const { body } of output.outputs) {
      const id = `${body.key}@${body.windowStart}`;
      byWindow.set(id, [...(byWindow.get(id) ?? []), body]);
    }
    const missing = [...expected.keys()].filter((id) => !byWindow.has(id));
    const twice = [...byWindow].filter(([, results]) => results.length > 1).map(([id]) => id);
    const different = [...expected].filter(([id, e]) => {
      const got = byWindow.get(id)?.[0];
      return got !== undefined && JSON.stringify(got) !== JSON.stringify(e);
    });
    expect({
      missing: missing.slice(0, 5),
      twice: twice.slice(0, 5),
      different: different.slice(0, 5),
    }).toEqual({ missing: [], twice: [], different: [] });
    expect(output.count).toBe(expected.size);
    const outOfOrder = [...byKey(output.outputs.map((o) => o.body))]
      .filter(([, list]) =>
        list.some((o, at) => at > 0 && o.windowStart <= list[at - 1].windowStart),
      )
      .map(([key]) => key);
    expect(outOfOrder).toEqual([]);
    expect(await amqp.channel.checkQueue(`ruleshift.dlq.${installed.jobId}`)).toMatchObject({
      messageCount: 0,
    });
    // Both moves happened while events flowed, and each placement published.
    expect(stillPublishing).toBe(true);
    const handovers = output.handovers();
    expect(handovers.map((h) => `${h.from}->${h.to}`)).toEqual(['flink->edge', 'edge->flink']);
    console.log(
      `parallel window move with ${KEYS} keys: ${handovers
        .map((h) => `${h.from}->${h.to} ${h.pauseMs} ms`)
        .join(', ')}`,
    );
    expect(await jobDetails(suite.system, installed.jobId)).toMatchObject({
      runtime: 'flink',
      jobStatus: 'RUNNING',
    });
    expect((await call('uninstall', backOnFlink)).jobStatus).toBe('UNINSTALLED');
  });
});
