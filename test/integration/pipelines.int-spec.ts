/**
 * Pipelines on the real services: proxy, adapter (Flink runtime on) and agents gw1, gw2 as
 * separate processes, RabbitMQ, PostgreSQL and the Flink session cluster. The three
 * stages, an edge filter feeding edge business rules feeding a Flink window aggregation: the
 * middle stage moves gw1 -> gw2 and the Flink stage moves to the edge while 20,000 events flow,
 * and every expected output arrives exactly once. An edge -> edge fan-out gives each reader
 * exactly its events. Uninstalling a pipeline leaves none of its queues or exchanges on the
 * brokers, and a service's queue bound to `ruleshift.events` receives every transition in order.
 */
import type { Collector } from './support/amqp';
import { liveFlinkJobsOf } from './support/flink';
import { FLINK_CLUSTER, useFlinkSuite } from './support/flink-suite';
import { readings, type Reading } from './support/rules';
import { sleep, waitUntil } from './support/system';

interface StageInfo {
  name: string;
  from: string[];
  jobInfo: {
    jobId: string;
    jobType: string;
    runtime: string;
    jobStatus: string;
    configFileName: string;
    targetResource?: string;
  };
}
interface PipelineInfo {
  pipelineId: string;
  name: string;
  status: string;
  stages: StageInfo[];
}
interface ServiceEvent {
  kind: 'job' | 'pipeline';
  event: string;
  jobId?: string;
  jobType?: string;
  name?: string;
  from?: { runtime: string; targetResource: string };
  runtime?: string;
  targetResource?: string;
}
/** What window-aggregation emits per window and key. */
interface WindowOutput {
  key: string | number;
  aggregate: string;
  value: number;
  count: number;
}

const filterStage = (
  name: string,
  placement: { runtime: 'edge' | 'flink'; targetResource: string },
  condition: string,
  threshold: number,
  extra: { from?: string[]; connectors?: Record<string, unknown> },
) => ({
  name,
  ...(extra.from ? { from: extra.from } : {}),
  headers: { ...placement, jobType: 'filter' },
  jobConfig: { connectors: extra.connectors ?? {} },
  jobProps: { condition, threshold, fieldName: 'temperature' },
});

/**
 * The middle stage's rules: a critical reading gets level 3 and nothing else applies; a
 * reading under 27 is dropped; a warm one from a known device gets level 2 and a tag.
 */
const CLASSIFY_RULES = [
  {
    name: 'critical',
    priority: 10,
    when: { path: '$.temperature', op: '>=', value: 30 },
    then: [{ set: '$.level', value: 3 }, { stop: true }],
  },
  {
    name: 'cool',
    priority: 5,
    when: { path: '$.temperature', op: '<', value: 27 },
    then: [{ drop: true }],
  },
  {
    name: 'warm',
    when: {
      all: [
        { path: '$.temperature', op: '>=', value: 27 },
        { path: '$.deviceId', op: 'exists' },
      ],
    },
    then: [{ set: '$.level', value: 2 }, { tag: 'warm' }],
  },
];

/** The oracle, by hand: the level a reading ends with, none when the filter or a rule drops it. */
const levelOf = (r: Reading): number | undefined => {
  if (r.temperature <= 20 || r.temperature < 27) return undefined; // filter > 20, then 'cool'
  return r.temperature >= 30 ? 3 : 2;
};

describe('pipelines (real RabbitMQ, PostgreSQL, Flink)', () => {
  const suite = useFlinkSuite({ agents: ['gw1', 'gw2'] });

  const post = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await suite.system.api<T>('POST', path, body ?? {});
    if (response.status !== 200) {
      throw new Error(`POST ${path} -> ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  };

  const create = async (pipeline: unknown): Promise<PipelineInfo> => {
    const created = await post<PipelineInfo>('/api/pipelines', pipeline);
    for (const stage of created.stages) suite.started.add(stage.jobInfo.jobId);
    return created;
  };

  /** A service's queue on ruleshift.events (core broker), bound before anything happens. */
  const serviceQueue = async (queue: string): Promise<Collector> => {
    const { core } = suite;
    await core.channel.assertExchange('ruleshift.events', 'topic', { durable: true });
    await core.channel.assertQueue(queue, { durable: true });
    await core.channel.bindQueue(queue, 'ruleshift.events', '#');
    return core.collectExisting(queue);
  };

  it('edge filter -> edge business-rules -> Flink window-aggregation under 20,000 events, stages moved mid-stream: each output exactly once', async () => {
    const { system, producer, core } = suite;
    const events = await serviceQueue('it-service-events');
    const pipeline = {
      name: 'chain',
      stages: [
        filterStage('warm', { runtime: 'edge', targetResource: 'gw1' }, '>', 20, {
          connectors: {
            inputEndpoint: 'edge',
            inputExchange: 'chain.sensors',
            inputQueue: 'chain.warm.in',
            inputRoutingKey: 'temperature',
          },
        }),
        {
          name: 'classify',
          from: ['warm'],
          headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'business-rules' },
          jobConfig: { connectors: {} },
          jobProps: { rules: CLASSIFY_RULES, onNoMatch: 'forward' },
        },
        {
          // Count windows of one event per reading (grouped by seq): each window closes on its
          // event, so the Flink -> edge move (window state dropped) leaves no window half-counted
          // and the outputs have an exact oracle.
          name: 'level',
          from: ['classify'],
          headers: {
            runtime: 'flink',
            targetResource: FLINK_CLUSTER,
            jobType: 'window-aggregation',
          },
          jobConfig: {
            connectors: {
              outputEndpoint: 'edge',
              outputExchange: 'chain.out',
              outputRoutingKey: 'r',
            },
          },
          jobProps: {
            aggregate: 'max',
            fieldJsonPath: '$.level',
            window: { kind: 'count', time: 'processing', size: 1 },
            groupByJsonPath: '$.seq',
          },
        },
      ],
    };
    const created = await create(pipeline);
    expect(created).toMatchObject({ name: 'chain', status: 'INSTALLED' });
    const [warm, classify, level] = created.stages.map((s) => s.jobInfo);
    const details = (await system.api<{ exchanges: unknown[] }>('GET', '/api/pipelines/chain'))
      .body;
    // warm and classify both run at the edge; classify's reader runs on Flink: the core broker.
    expect(details.exchanges).toEqual([
      { endpoint: 'edge', exchange: 'ruleshift.pipeline.chain.warm' },
      { endpoint: 'core', exchange: 'ruleshift.pipeline.chain.classify' },
    ]);

    const output = await producer.collect('chain.out', 'r', 'chain.out.collector');
    expect(await post<PipelineInfo>('/api/pipelines/chain/start')).toMatchObject({
      status: 'RUNNING',
    });
    expect(await liveFlinkJobsOf(level.jobId)).toHaveLength(1);

    const sent = readings(20_000);
    const expected = sent
      .filter((r) => levelOf(r) !== undefined)
      .map((r) => [String(r.seq), levelOf(r)]);
    const publishing = (async () => {
      for (let i = 0; i < sent.length; i += 250) {
        await producer.publishJson('chain.sensors', 'temperature', sent.slice(i, i + 250));
        await sleep(250);
      }
    })();
    await waitUntil('outputs before the moves', async () => output.count > 300, 120_000);
    const movedClassify = await post<{ targetResource: string }>('/api/move', {
      target_runtime: 'edge',
      targetResource: 'gw2',
      jobInfo: { ...classify, jobStatus: 'RUNNING' },
    });
    expect(movedClassify).toMatchObject({ runtime: 'edge', jobStatus: 'RUNNING' });
    const countBeforeSecondMove = output.count;
    const movedLevel = await post<{ runtime: string }>('/api/move', {
      target_runtime: 'edge',
      targetResource: 'gw1',
      jobInfo: { ...level, jobStatus: 'RUNNING' },
      dropState: true,
    });
    expect(movedLevel).toMatchObject({ runtime: 'edge', jobStatus: 'RUNNING' });
    const stillPublishing = output.count < expected.length;
    await publishing;

    await waitUntil('every output', async () => output.count >= expected.length, 180_000);
    // A repeat would come late: publish a sentinel through the whole chain and wait for it.
    const sentinel = { deviceId: 'sentinel', seq: 1_000_000, temperature: 35 };
    await producer.publishJson('chain.sensors', 'temperature', [sentinel]);
    await waitUntil('the sentinel', async () =>
      output.json<WindowOutput>().some((o) => String(o.key) === String(sentinel.seq)),
    );
    const outputs = output
      .json<WindowOutput>()
      .filter((o) => String(o.key) !== String(sentinel.seq));
    expect(outputs.every((o) => o.aggregate === 'max' && o.count === 1)).toBe(true);
    const perKey = new Map<string, number>();
    for (const o of outputs) perKey.set(String(o.key), (perKey.get(String(o.key)) ?? 0) + 1);
    expect({
      missing: expected.filter(([seq]) => !perKey.has(seq as string)).map(([seq]) => seq),
      twice: [...perKey].filter(([, n]) => n > 1).map(([seq]) => seq),
    }).toEqual({ missing: [], twice: [] });
    const bySeq = (a: unknown[], b: unknown[]) => Number(a[0]) - Number(b[0]);
    expect(outputs.map((o) => [String(o.key), o.value]).sort(bySeq)).toEqual(expected);
    // Both moves happened while events flowed: outputs before the first and after the second.
    expect(countBeforeSecondMove).toBeGreaterThan(300);
    expect(stillPublishing).toBe(true);

    const after = (
      await system.api<{
        status: string;
        stages: Array<{ name: string; job: { runtime: string; targetResource: string } }>;
      }>('GET', `/api/pipelines/${created.pipelineId}`)
    ).body;
    expect(after.status).toBe('RUNNING');
    expect(after.stages.map((s) => `${s.name}@${s.job.runtime}/${s.job.targetResource}`)).toEqual([
      'warm@edge/gw1',
      'classify@edge/gw2',
      'level@edge/gw1',
    ]);

    expect(await post<PipelineInfo>('/api/pipelines/chain/uninstall')).toMatchObject({
      status: 'UNINSTALLED',
    });
    expect(await liveFlinkJobsOf(level.jobId)).toHaveLength(0);
    // Nothing the pipeline created is left on either broker: queues, exchanges, dead letters.
    const edge = producer;
    for (const queue of ['chain.warm.in', 'ruleshift.pipeline.chain.classify.in0']) {
      expect([queue, await edge.queueExists(queue)]).toEqual([queue, false]);
    }
    expect(await core.queueExists('ruleshift.pipeline.chain.level.in0')).toBe(false);
    expect(await edge.exchangeExists('ruleshift.pipeline.chain.warm')).toBe(false);
    expect(await core.exchangeExists('ruleshift.pipeline.chain.classify')).toBe(false);
    for (const { jobId } of [warm, classify, level]) {
      expect(await edge.queueExists(`ruleshift.dlq.${jobId}`)).toBe(false);
      expect(await core.queueExists(`ruleshift.dlq.${jobId}`)).toBe(false);
    }

    const transitions = [
      `job.filter.installed ${warm.jobId}`,
      `job.business-rules.installed ${classify.jobId}`,
      `job.window-aggregation.installed ${level.jobId}`,
      'pipeline.installed chain',
      `job.window-aggregation.started ${level.jobId}`,
      `job.business-rules.started ${classify.jobId}`,
      `job.filter.started ${warm.jobId}`,
      'pipeline.started chain',
      `job.business-rules.moved ${classify.jobId} edge/gw1 -> edge/gw2`,
      `job.window-aggregation.moved ${level.jobId} flink/${FLINK_CLUSTER} -> edge/gw1`,
      `job.filter.uninstalled ${warm.jobId}`,
      `job.business-rules.uninstalled ${classify.jobId}`,
      `job.window-aggregation.uninstalled ${level.jobId}`,
      'pipeline.uninstalled chain',
    ];
    await waitUntil('every transition', async () => events.count >= transitions.length);
    expect(
      events
        .json<ServiceEvent>()
        .map((e) =>
          e.kind === 'pipeline'
            ? `pipeline.${e.event} ${e.name}`
            : `job.${e.jobType}.${e.event} ${e.jobId}` +
              (e.from
                ? ` ${e.from.runtime}/${e.from.targetResource} -> ${e.runtime}/${e.targetResource}`
                : ''),
        ),
    ).toEqual(transitions);
    expect(events.messages.every((m) => m.properties.deliveryMode === 2)).toBe(true);
  });

  it('fans an edge stage out to two edge stages on two agents: each gets exactly its events', async () => {
    await create({
      name: 'fan',
      stages: [
        filterStage('warm', { runtime: 'edge', targetResource: 'gw1' }, '>', 20, {
          connectors: {
            inputEndpoint: 'edge',
            inputExchange: 'fan.sensors',
            inputQueue: 'fan.warm.in',
            inputRoutingKey: 'temperature',
          },
        }),
        filterStage('hot', { runtime: 'edge', targetResource: 'gw1' }, '>', 25, {
          from: ['warm'],
          connectors: {
            outputEndpoint: 'edge',
            outputExchange: 'fan.out',
            outputRoutingKey: 'hot',
          },
        }),
        filterStage('mild', { runtime: 'edge', targetResource: 'gw2' }, '<=', 25, {
          from: ['warm'],
          connectors: {
            outputEndpoint: 'edge',
            outputExchange: 'fan.out',
            outputRoutingKey: 'mild',
          },
        }),
      ],
    });
    const { producer } = suite;
    const hotOut = await producer.collect('fan.out', 'hot', 'fan.hot.collector');
    const mildOut = await producer.collect('fan.out', 'mild', 'fan.mild.collector');
    await post('/api/pipelines/fan/start');
    const sent = readings(2_000);
    await producer.publishJson('fan.sensors', 'temperature', sent);
    const hot = sent.filter((e) => e.temperature > 25);
    const mild = sent.filter((e) => e.temperature > 20 && e.temperature <= 25);
    await waitUntil(
      'both readers',
      async () => hotOut.count >= hot.length && mildOut.count >= mild.length,
    );
    // Sentinels through both branches: a repeat would arrive before them.
    await producer.publishJson('fan.sensors', 'temperature', [
      { deviceId: 's', seq: 900_001, temperature: 99 },
      { deviceId: 's', seq: 900_002, temperature: 21 },
    ]);
    await waitUntil(
      'the sentinels',
      async () =>
        hotOut.json<Reading>().some((r) => r.seq === 900_001) &&
        mildOut.json<Reading>().some((r) => r.seq === 900_002),
    );
    expect(hotOut.json<Reading>().filter((r) => r.seq < 900_000)).toEqual(hot);
    expect(mildOut.json<Reading>().filter((r) => r.seq < 900_000)).toEqual(mild);

    expect(await post<PipelineInfo>('/api/pipelines/fan/stop')).toMatchObject({
      status: 'STOPPED',
    });
    expect(await post<PipelineInfo>('/api/pipelines/fan/uninstall')).toMatchObject({
      status: 'UNINSTALLED',
    });
    for (const queue of [
      'fan.warm.in',
      'ruleshift.pipeline.fan.hot.in0',
      'ruleshift.pipeline.fan.mild.in0',
    ]) {
      expect([queue, await producer.queueExists(queue)]).toEqual([queue, false]);
    }
    expect(await producer.exchangeExists('ruleshift.pipeline.fan.warm')).toBe(false);
  });
});
