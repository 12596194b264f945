/**
 * Each of the paper's templates as a real Flink job, driven only through the REST API: proxy,
 * adapter (FLINK_REST_URL set) and an agent as separate processes, the real Flink session
 * cluster, RabbitMQ (private edge/core vhosts) and PostgreSQL. One rule's Flink job at a time (the
 * cluster has 4 slots); everything started here is uninstalled. A missing cluster fails.
 */
import type { AmqpTestClient, Collector } from './support/amqp';
import {
  callApi,
  FLINK_SYSTEM_ENV,
  type FlinkTestSystem,
  flinkJobs,
  liveFlinkJobsOf,
  startFlinkTestSystem,
} from './support/flink';
import {
  type ErrorBody,
  type JobInfo,
  jobDetails,
  secondInputFor,
  windowCountInstallation,
  windowJoinInstallation,
} from './support/flink-rules';
import {
  aboveThreshold,
  filterInstallation,
  type NamedConnectors,
  readings,
  uniqueConnectors,
} from './support/rules';
import { FLINK_REST_URL } from './support/services';
import { RuleshiftSystem, sleep, waitUntil } from './support/system';
import { printLogsOnFailure } from './support/test-system';

const CLUSTER = 'flink';
/** Time for anything extra (a duplicate, a second window result) to arrive before counting. */
const settle = (): Promise<void> => sleep(2_000);

describe('Flink runtime through the REST API (real Flink, RabbitMQ, PostgreSQL)', () => {
  let flink: FlinkTestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;
  const started = new Set<string>();

  beforeAll(async () => {
    flink = await startFlinkTestSystem(started);
    ({ system, amqp } = flink);
  }, 900_000);

  afterAll(() => flink?.stop());

  printLogsOnFailure(() => system);

  const call = (op: string, body: unknown): Promise<JobInfo> => callApi(system, op, body);

  const install = async (body: Record<string, unknown>): Promise<JobInfo> => {
    const installed = await call('install', body);
    started.add(installed.jobId);
    expect(installed).toMatchObject({ runtime: 'flink', jobStatus: 'INSTALLED' });
    return installed;
  };

  const collectOutputs = (connectors: NamedConnectors): Promise<Collector> =>
    amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );

  /** Start -> RUNNING, with exactly one live Flink job for the rule. */
  const start = async (job: JobInfo): Promise<JobInfo> => {
    const running = await call('start', job);
    expect(running.jobStatus).toBe('RUNNING');
    expect(await liveFlinkJobsOf(job.jobId)).toHaveLength(1);
    return running;
  };

  const stop = async (job: JobInfo): Promise<JobInfo> => {
    const stopped = await call('stop', job);
    expect(stopped.jobStatus).toBe('STOPPED');
    expect(await liveFlinkJobsOf(job.jobId)).toHaveLength(0);
    return stopped;
  };

  /** Uninstall, then: the rule's history, and no Flink job of it left. */
  const uninstallAndCheckHistory = async (job: JobInfo): Promise<void> => {
    const uninstalled = await call('uninstall', job);
    expect(uninstalled.jobStatus).toBe('UNINSTALLED');
    expect(await liveFlinkJobsOf(job.jobId)).toHaveLength(0);
    const details = await jobDetails(system, job.jobId);
    expect(details.history.map((h) => h.status)).toEqual([
      'INSTALLED',
      'RUNNING',
      'STOPPED',
      'RUNNING',
      'UNINSTALLED',
    ]);
    expect(
      details.history.every((h) => h.runtime === 'flink' && h.targetResource === CLUSTER),
    ).toBe(true);
  };

  it('lists the Flink cluster as a runtime: kind flink, targetResource flink, UP', async () => {
    const runtimes = await waitUntil('the flink runtime UP', async () => {
      const { body } = await system.api<
        { runtime: string; targetResource: string; health: string }[]
      >('GET', '/api/runtimes');
      return body.some((r) => r.runtime === 'flink' && r.health === 'UP') ? body : undefined;
    });
    // As many TaskManagers as Flink itself lists (CI starts two: npm run flink:up -- 2).
    const overview = (await (await fetch(`${FLINK_REST_URL}/overview`)).json()) as {
      taskmanagers: number;
    };
    expect(overview.taskmanagers).toBeGreaterThanOrEqual(1);
    expect(runtimes.find((r) => r.runtime === 'flink')).toMatchObject({
      runtime: 'flink',
      targetResource: CLUSTER,
      health: 'UP',
      details: expect.objectContaining({
        restUrl: FLINK_REST_URL,
        taskmanagers: overview.taskmanagers,
      }),
    });
  });

  it('filter: exact outputs, stop, events wait, start again, uninstall', async () => {
    const connectors = uniqueConnectors('flink-filter');
    const installed = await install(filterInstallation(CLUSTER, connectors, 'flink'));
    expect(installed.jobType).toBe('filter');
    const output = await collectOutputs(connectors);
    const running = await start(installed);

    const events = readings(300);
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, events);
    const expected = aboveThreshold(events);
    await waitUntil('filtered outputs', async () => output.count >= expected.length, 120_000);

    const stopped = await stop(running);
    // Nothing consumes while stopped: these wait in the durable input queue.
    const whileStopped = readings(40).map((e) => ({ ...e, seq: e.seq + 10_000 }));
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, whileStopped);
    const restarted = await start(stopped);
    const all = [...expected, ...aboveThreshold(whileStopped)];
    await waitUntil('outputs after restart', async () => output.count >= all.length, 120_000);
    await settle();
    expect(output.json()).toEqual(all);

    await uninstallAndCheckHistory(restarted);
  });

  it('window-aggregation: windows close on event time; an open window survives stop/start whole', async () => {
    const connectors = uniqueConnectors('flink-window');
    const installed = await install(windowCountInstallation('flink', CLUSTER, connectors));
    const output = await collectOutputs(connectors);
    const running = await start(installed);
    const send = (events: { device: string; ts: number }[]): Promise<void> =>
      amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, events);

    // [0,1000) closes when ts 1000 arrives; [1000,2000) stays open with a:1000,1100,1200.
    await send([
      { device: 'a', ts: 0 },
      { device: 'b', ts: 100 },
      { device: 'a', ts: 500 },
      { device: 'b', ts: 999 },
      { device: 'a', ts: 1000 },
      { device: 'a', ts: 1100 },
      { device: 'a', ts: 1200 },
    ]);
    await waitUntil('window [0,1000) results', async () => output.count >= 2, 120_000);
    // The open window's events are in the job (checkpointed) before the stop takes its savepoint.
    await waitUntil('input queue drained', async () => {
      const queue = await amqp.channel.checkQueue(connectors.inputQueue);
      return queue.messageCount === 0;
    });
    await sleep(1_500);
    const stopped = await stop(running);
    const restarted = await start(stopped);
    await send([
      { device: 'a', ts: 1300 },
      { device: 'a', ts: 2500 },
    ]);
    await waitUntil('window [1000,2000) result', async () => output.count >= 3, 120_000);
    await settle();
    const byWindow = (a: { windowStart: number; key: string }, b: typeof a): number =>
      a.windowStart - b.windowStart || a.key.localeCompare(b.key);
    expect(output.json<{ windowStart: number; key: string }>().sort(byWindow)).toEqual([
      { windowStart: 0, windowEnd: 1000, key: 'a', aggregate: 'count', value: 2, count: 2 },
      { windowStart: 0, windowEnd: 1000, key: 'b', aggregate: 'count', value: 2, count: 2 },
      // ONE result with the full count: three events before the stop, one after.
      { windowStart: 1000, windowEnd: 2000, key: 'a', aggregate: 'count', value: 4, count: 4 },
    ]);

    await uninstallAndCheckHistory(restarted);
  });

  it('window-join: pairs by key within a window; a buffered side survives stop/start', async () => {
    const connectors = uniqueConnectors('flink-join');
    const right = secondInputFor(connectors);
    const installed = await install(windowJoinInstallation('flink', CLUSTER, connectors));
    expect(installed.jobType).toBe('window-join');
    const output = await collectOutputs(connectors);
    const running = await start(installed);
    const left = { id: 'a', ts: 100, t: 21 };
    const right1 = { deviceId: 'a', ts: 200, h: 40 };
    const right2 = { deviceId: 'a', ts: 300, h: 41 };

    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [left]);
    await amqp.publishJson(right.exchange, right.routingKey, [{ deviceId: 'zz', ts: 150 }, right1]);
    await waitUntil('first pair', async () => output.count >= 1, 120_000);
    await sleep(1_500); // a checkpoint after the pair: the left side is in the savepoint's state
    const stopped = await stop(running);
    const restarted = await start(stopped);
    // Pairs only with the left event restored from the savepoint.
    await amqp.publishJson(right.exchange, right.routingKey, [right2]);
    await waitUntil('second pair', async () => output.count >= 2, 120_000);
    await settle();
    expect(output.json()).toEqual([
      { windowStart: 0, windowEnd: 1000, key: 'a', left, right: right1 },
      { windowStart: 0, windowEnd: 1000, key: 'a', left, right: right2 },
    ]);

    await uninstallAndCheckHistory(restarted);
  });

  it('reports a Flink job that ends behind its back as FAILED with Flink’s reason', async () => {
    const connectors = uniqueConnectors('flink-fail');
    const installed = await install(filterInstallation(CLUSTER, connectors, 'flink'));
    const running = await start(installed);
    const [flinkJob] = await liveFlinkJobsOf(installed.jobId);
    await fetch(`${FLINK_REST_URL}/jobs/${flinkJob.jid}?mode=cancel`, { method: 'PATCH' });

    const failed = await waitUntil('FAILED in the registry', async () => {
      const details = await jobDetails(system, installed.jobId);
      return details.jobStatus === 'FAILED' ? details : undefined;
    });
    expect(failed.failureReason).toContain(
      `Flink job ${flinkJob.jid} on cluster ${CLUSTER} is CANCELED`,
    );
    expect(failed.history.at(-1)).toMatchObject({ status: 'FAILED', reason: failed.failureReason });
    expect((await flinkJobs()).find((j) => j.jid === flinkJob.jid)?.state).toBe('CANCELED');

    const uninstalled = await call('uninstall', { ...running, jobStatus: 'FAILED' });
    expect(uninstalled.jobStatus).toBe('UNINSTALLED');
  });

  it('answers 404 on headers.targetResource for an unknown Flink cluster', async () => {
    const response = await system.api<ErrorBody>(
      'POST',
      '/api/install',
      filterInstallation('no-such-cluster', uniqueConnectors('flink-404'), 'flink'),
    );
    expect(response.status).toBe(404);
    expect(response.body.errors.map((e) => e.field)).toContain('headers.targetResource');
  });
});

/** A second system, on vhosts of its own, whose Flink cluster does not answer. */
describe('Flink cluster down', () => {
  let system: RuleshiftSystem;

  beforeAll(async () => {
    system = await RuleshiftSystem.start({
      agents: [],
      isolatedVhosts: true,
      extraEnv: { ...FLINK_SYSTEM_ENV, FLINK_REST_URL: 'http://127.0.0.1:1' },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('refuses install with a clear 503 and leaves nothing installed in the registry', async () => {
    const runtime = await waitUntil('the flink runtime registered', async () => {
      const { body } = await system.api<{ runtime: string; health: string; details?: object }[]>(
        'GET',
        '/api/runtimes',
      );
      return body.find((r) => r.runtime === 'flink');
    });
    expect(runtime).toMatchObject({ targetResource: CLUSTER, health: 'UNREACHABLE' });

    const connectors: NamedConnectors = uniqueConnectors('flink-down');
    const response = await system.api<ErrorBody>(
      'POST',
      '/api/install',
      filterInstallation(CLUSTER, connectors, 'flink'),
    );
    expect(response.status).toBe(503);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        field: 'headers.targetResource',
        reason: expect.stringContaining('unreachable'),
      }),
    ]);
    const jobs = await system.api<JobInfo[]>('GET', '/api/jobs');
    expect(jobs.status).toBe(200);
    expect(jobs.body.filter((j) => j.jobStatus === 'INSTALLED')).toEqual([]);
  });
});
