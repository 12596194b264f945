/**
 * Pipelines on the real services: proxy, adapter (Flink runtime on) and agents gw1, gw2 as
 * separate processes, RabbitMQ, PostgreSQL and the shared Flink session cluster. An edge stage
 * feeds an edge stage that feeds a Flink stage; the middle stage moves gw1 -> gw2 and the Flink
 * stage moves to the edge while 20,000 events flow, and every expected output arrives exactly
 * once. An edge -> edge fan-out gives each reader exactly its events. Uninstalling a pipeline
 * leaves none of its queues or exchanges on the brokers, and a service's queue bound to
 * `ruleshift.events` receives every transition in order.
 */
import { connect } from 'amqplib';
import { AmqpTestClient, type Collector } from './support/amqp';
import {
  FLINK_SYSTEM_ENV,
  buildFlinkJobs,
  cancelFlinkJobsOf,
  ensureFlinkCluster,
  liveFlinkJobsOf,
} from './support/flink';
import { uninstallAll } from './support/flink-rules';
import { readings, type Reading } from './support/rules';
import { type RuleshiftSystem, sleep, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

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

/** Whether `exchange` exists, checked on a channel of its own (a 404 closes the channel). */
async function exchangeExists(url: string, exchange: string): Promise<boolean> {
  const connection = await connect(url);
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await channel.checkExchange(exchange);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  } finally {
    await connection.close().catch(() => undefined);
  }
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

describe('pipelines (real RabbitMQ, PostgreSQL, Flink)', () => {
  let test: TestSystem;
  let system: RuleshiftSystem;
  let producer: AmqpTestClient;
  let core: AmqpTestClient;
  const jobIds = new Set<string>();

  beforeAll(async () => {
    await ensureFlinkCluster();
    buildFlinkJobs();
    test = await startTestSystem({ agents: ['gw1', 'gw2'], extraEnv: FLINK_SYSTEM_ENV });
    system = test.system;
    producer = await AmqpTestClient.connect(system.edgeAmqpUrl);
    core = await AmqpTestClient.connect(system.coreAmqpUrl);
  }, 900_000);

  afterAll(async () => {
    await uninstallAll(system, jobIds).catch(() => undefined);
    await cancelFlinkJobsOf(jobIds);
    await producer?.close();
    await core?.close();
    await test?.stop();
  });

  printLogsOnFailure(() => system);

  const post = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await system.api<T>('POST', path, body ?? {});
    if (response.status !== 200) {
      throw new Error(`POST ${path} -> ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  };

  const create = async (pipeline: unknown): Promise<PipelineInfo> => {
    const created = await post<PipelineInfo>('/api/pipelines', pipeline);
    for (const stage of created.stages) jobIds.add(stage.jobInfo.jobId);
    return created;
  };

  /** A service's queue on ruleshift.events (core broker), bound before anything happens. */
  const serviceQueue = async (queue: string): Promise<Collector> => {
    await core.channel.assertExchange('ruleshift.events', 'topic', { durable: true });
    await core.channel.assertQueue(queue, { durable: true });
    await core.channel.bindQueue(queue, 'ruleshift.events', '#');
    return core.collectExisting(queue);
  };

  const exactlyOnce = (outputs: Reading[], expected: Reading[]) => {
    const perSeq = new Map<number, number>();
    for (const { seq } of outputs) perSeq.set(seq, (perSeq.get(seq) ?? 0) + 1);
    return {
      missing: expected.filter((e) => !perSeq.has(e.seq)).map((e) => e.seq),
      twice: [...perSeq].filter(([, n]) => n > 1).map(([seq]) => seq),
    };
  };

  it('edge -> edge -> Flink under 20,000 events, stages moved mid-stream: each output exactly once', async () => {
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
        filterStage('mild', { runtime: 'edge', targetResource: 'gw1' }, '<', 30, {
          from: ['warm'],
        }),
        filterStage('hot', { runtime: 'flink', targetResource: 'flink' }, '>', 22, {
          from: ['mild'],
          connectors: {
            outputEndpoint: 'edge',
            outputExchange: 'chain.out',
            outputRoutingKey: 'r',
          },
        }),
      ],
    };
    const created = await create(pipeline);
    expect(created).toMatchObject({ name: 'chain', status: 'INSTALLED' });
    const [warm, mild, hot] = created.stages.map((s) => s.jobInfo);
    const details = (await system.api<{ exchanges: unknown[] }>('GET', '/api/pipelines/chain'))
      .body;
    // warm and mild both run at the edge; mild's reader runs on Flink: the core broker.
    expect(details.exchanges).toEqual([
      { endpoint: 'edge', exchange: 'ruleshift.pipeline.chain.warm' },
      { endpoint: 'core', exchange: 'ruleshift.pipeline.chain.mild' },
    ]);

    const output = await producer.collect('chain.out', 'r', 'chain.out.collector');
    expect(await post<PipelineInfo>('/api/pipelines/chain/start')).toMatchObject({
      status: 'RUNNING',
    });
    expect(await liveFlinkJobsOf(hot.jobId)).toHaveLength(1);

    const sent = readings(20_000);
    const expected = sent.filter((e) => e.temperature > 22 && e.temperature < 30);
    const publishing = (async () => {
      for (let i = 0; i < sent.length; i += 250) {
        await producer.publishJson('chain.sensors', 'temperature', sent.slice(i, i + 250));
        await sleep(250);
      }
    })();
    await waitUntil('outputs before the moves', async () => output.count > 300, 120_000);
    const movedMild = await post<{ targetResource: string }>('/api/move', {
      target_runtime: 'edge',
      targetResource: 'gw2',
      jobInfo: { ...mild, jobStatus: 'RUNNING' },
    });
    expect(movedMild).toMatchObject({ targetResource: 'gw2', jobStatus: 'RUNNING' });
    const movedHot = await post<{ runtime: string }>('/api/move', {
      target_runtime: 'edge',
      targetResource: 'gw1',
      jobInfo: { ...hot, jobStatus: 'RUNNING' },
    });
    expect(movedHot).toMatchObject({ runtime: 'edge', jobStatus: 'RUNNING' });
    const stillPublishing = output.count < expected.length;
    await publishing;

    await waitUntil('every output', async () => output.count >= expected.length, 180_000);
    // A repeat would come late: publish a sentinel through the whole chain and wait for it.
    const sentinel = { deviceId: 'sentinel', seq: 1_000_000, temperature: 25 };
    await producer.publishJson('chain.sensors', 'temperature', [sentinel]);
    await waitUntil('the sentinel', async () =>
      output.json<Reading>().some((r) => r.seq === sentinel.seq),
    );
    const outputs = output.json<Reading>().filter((r) => r.seq !== sentinel.seq);
    expect(exactlyOnce(outputs, expected)).toEqual({ missing: [], twice: [] });
    expect(outputs.sort((a, b) => a.seq - b.seq)).toEqual(expected);
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
      'mild@edge/gw2',
      'hot@edge/gw1',
    ]);

    expect(await post<PipelineInfo>('/api/pipelines/chain/uninstall')).toMatchObject({
      status: 'UNINSTALLED',
    });
    expect(await liveFlinkJobsOf(hot.jobId)).toHaveLength(0);
    const edge = producer;
    for (const queue of ['chain.warm.in', 'ruleshift.pipeline.chain.mild.in0']) {
      expect([queue, await edge.queueExists(queue)]).toEqual([queue, false]);
    }
    expect(await core.queueExists('ruleshift.pipeline.chain.hot.in0')).toBe(false);
    expect(await exchangeExists(system.edgeAmqpUrl, 'ruleshift.pipeline.chain.warm')).toBe(false);
    expect(await exchangeExists(system.coreAmqpUrl, 'ruleshift.pipeline.chain.mild')).toBe(false);
    for (const { jobId } of [warm, mild, hot]) {
      expect(await edge.queueExists(`ruleshift.dlq.${jobId}`)).toBe(false);
      expect(await core.queueExists(`ruleshift.dlq.${jobId}`)).toBe(false);
    }

    const transitions = [
      `job.filter.installed ${warm.jobId}`,
      `job.filter.installed ${mild.jobId}`,
      `job.filter.installed ${hot.jobId}`,
      'pipeline.installed chain',
      `job.filter.started ${hot.jobId}`,
      `job.filter.started ${mild.jobId}`,
      `job.filter.started ${warm.jobId}`,
      'pipeline.started chain',
      `job.filter.moved ${mild.jobId} edge/gw1 -> edge/gw2`,
      `job.filter.moved ${hot.jobId} flink/flink -> edge/gw1`,
      `job.filter.uninstalled ${warm.jobId}`,
      `job.filter.uninstalled ${mild.jobId}`,
      `job.filter.uninstalled ${hot.jobId}`,
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
    expect(await exchangeExists(system.edgeAmqpUrl, 'ruleshift.pipeline.fan.warm')).toBe(false);
  });
});
