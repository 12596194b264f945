import { FlinkUnavailableError } from '@ruleshift/flink-client';
import type { BrokerConfig } from '@ruleshift/broker';
import { Conflict, RuleshiftError } from '@ruleshift/contracts';
import { FlinkBrokerArgs } from './flink-broker-args';
import type { FlinkCluster } from './flink-cluster';
import { FlinkJobDriver } from './flink-job-driver';
import { InMemoryFlinkDeploymentStore } from './persistence/in-memory-flink-deployment-store';
import { FakeFlinkClient } from './testing/fake-flink-client';
import { CLUSTER, FakeFlinkTemplates, filterConfig, flinkJob } from './testing/flink-fixtures';

const BROKERS: BrokerConfig = {
  named: {
    edge: { kind: 'amqp', url: 'amqp://edgeuser:edgepass@rabbit-edge:5672/edge' },
    core: { kind: 'amqp', url: 'amqp://coreuser:corepass@rabbit-core:5672/core' },
  },
};
const JOB_A = '00000000-0000-4000-8000-00000000000a';
const JOB_B = '00000000-0000-4000-8000-00000000000b';

const errorOf = async (promise: Promise<unknown>): Promise<RuleshiftError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RuleshiftError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};

const clusterOf = (client: FakeFlinkClient): FlinkCluster => ({
  name: CLUSTER,
  client,
  brokerArgs: new FlinkBrokerArgs(BROKERS, {
    // Flink reaches the core broker at another address than the adapter does.
    core: 'amqp://coreuser:corepass@rabbit.flink-net:5672/core',
  }),
  startTimeoutMs: 1000,
  savepointTimeoutMs: 1000,
  checkpointIntervalMs: 2500,
});

describe('FlinkJobDriver', () => {
  let client: FakeFlinkClient;
  let templates: FakeFlinkTemplates;
  let store: InMemoryFlinkDeploymentStore;
  let driver: FlinkJobDriver;
  let ids: string[];

  beforeEach(() => {
    client = new FakeFlinkClient();
    templates = new FakeFlinkTemplates();
    store = new InMemoryFlinkDeploymentStore();
    ids = ['1'.repeat(32), '2'.repeat(32), '3'.repeat(32)];
    driver = new FlinkJobDriver([clusterOf(client)], templates, store, {
      newFlinkJobId: () => ids.shift()!,
      sleep: () => Promise.resolve(),
    });
  });

  it('uploads the jar once for two installs of the same template version', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.install(flinkJob(JOB_B), filterConfig(JOB_B));

    expect(client.uploads).toHaveLength(1);
    expect(templates.reads).toBe(1);
    const [a, b] = [await store.findDeployment(JOB_A), await store.findDeployment(JOB_B)];
    expect(a).toMatchObject({
      cluster: CLUSTER,
      jarId: client.uploads[0],
      jarSha256: 'sha-jobs-1',
      entryClass: 'io.ruleshift.flink.FilterJob',
      config: filterConfig(JOB_A),
      flinkJobId: null,
      savepointPath: null,
    });
    expect(b?.jarId).toBe(client.uploads[0]);
  });

  it('uploads again when the jar changed', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    templates.sha256 = 'sha-jobs-2';
    await driver.install(flinkJob(JOB_B), filterConfig(JOB_B));
    expect(client.uploads).toHaveLength(2);
    expect((await store.findDeployment(JOB_B))?.jarId).toBe(client.uploads[1]);
  });

  it('asks the cluster for its jars once, not at every install and start', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.install(flinkJob(JOB_B), filterConfig(JOB_B));
    await driver.start(flinkJob(JOB_B));
    expect(client.calls.filter((call) => call === 'listJars').length).toBeLessThanOrEqual(1);
    expect(client.uploads).toHaveLength(1);
    expect(client.runs.map((run) => run.jarId)).toEqual([client.uploads[0], client.uploads[0]]);
  });

  it('a new driver (adapter restart) finds the jar uploaded before instead of uploading it again', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    const restarted = new FlinkJobDriver([clusterOf(client)], templates, store, {
      newFlinkJobId: () => ids.shift()!,
      sleep: () => Promise.resolve(),
    });
    await restarted.install(flinkJob(JOB_B), filterConfig(JOB_B));
    expect(client.uploads).toHaveLength(1);
  });

  it('starts a job with the base64 config, broker URIs with credentials and a fresh job id', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));

    expect(client.runs).toHaveLength(1);
    const { jarId, options } = client.runs[0];
    expect(jarId).toBe(client.uploads[0]);
    expect(options).toMatchObject({
      entryClass: 'io.ruleshift.flink.FilterJob',
      jobId: '1'.repeat(32),
      savepointPath: undefined,
      allowNonRestoredState: false,
      // Flink answers the run only after main(): the start budget, not a short request timeout.
      timeoutMs: 1000,
    });
    const args = options.programArgsList!;
    const config: unknown = JSON.parse(
      Buffer.from(args[args.indexOf('--config-base64') + 1], 'base64').toString('utf8'),
    );
    expect(config).toEqual(filterConfig(JOB_A));
    expect(args).toContain('edge=amqp://edgeuser:edgepass@rabbit-edge:5672/edge');
    expect(args).toContain('core=amqp://coreuser:corepass@rabbit.flink-net:5672/core');
    expect(args.filter((a) => a === '--broker')).toHaveLength(2);
    expect(args[args.indexOf('--checkpoint-interval-ms') + 1]).toBe('2500');
    // Credentials go to Flink only: the stored deployment has none.
    expect(JSON.stringify(await store.findDeployment(JOB_A))).not.toMatch(/pass/);
    expect((await store.findDeployment(JOB_A))?.flinkJobId).toBe('1'.repeat(32));
  });

  it('does not submit a second job when started while running', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));
    expect(client.runs).toHaveLength(1);
  });

  it('stops with a savepoint without draining and restores from it on the next start', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));

    await expect(driver.stop(flinkJob(JOB_A))).resolves.toBeUndefined();
    expect(client.stops).toEqual([
      { jobId: '1'.repeat(32), options: expect.objectContaining({ drain: false }) },
    ]);
    expect(await store.findDeployment(JOB_A)).toMatchObject({
      flinkJobId: null,
      savepointPath: 'file:/savepoints/savepoint-1',
    });

    await driver.start(flinkJob(JOB_A));
    expect(client.runs[1].options).toMatchObject({
      jobId: '2'.repeat(32),
      savepointPath: 'file:/savepoints/savepoint-1',
      allowNonRestoredState: false,
    });
  });

  it('tells a job restored from the savepoint of a FINISHED stop that the outputs it lists as unconfirmed were confirmed', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.stop(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));

    expect(client.runs[0].options.programArgsList).not.toContain('--restored-outputs-confirmed');
    expect(client.runs[1].options.savepointPath).toBe('file:/savepoints/savepoint-1');
    expect(client.runs[1].options.programArgsList).toContain('--restored-outputs-confirmed');
    // A failover of that run before its first checkpoint restores the same savepoint.
    client.fail('2'.repeat(32), 'TaskManager lost');
    await driver.start(flinkJob(JOB_A));
    expect(client.runs[2].options.savepointPath).toBe('file:/savepoints/savepoint-1');
    expect(client.runs[2].options.programArgsList).toContain('--restored-outputs-confirmed');
  });

  it('a start from anything but the savepoint of a FINISHED stop republishes the unconfirmed outputs', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    // The savepoint completed, then a sink's close() threw (outputs unconfirmed): FAILED.
    client.stateAfterStop = 'FAILED';
    await driver.stop(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));
    expect(client.runs[1].options.savepointPath).toBe('file:/savepoints/savepoint-1');
    expect(client.runs[1].options.programArgsList).not.toContain('--restored-outputs-confirmed');
    // From a checkpoint of a run that then failed.
    const checkpoint = client.completeCheckpoint('2'.repeat(32));
    client.fail('2'.repeat(32), 'boom');
    await driver.start(flinkJob(JOB_A));
    expect(client.runs[2].options.savepointPath).toBe(checkpoint);
    expect(client.runs[2].options.programArgsList).not.toContain('--restored-outputs-confirmed');
  });

  it('restarts a FAILED job from its newest checkpoint, not from the older stop savepoint', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.stop(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));
    // The second run acks its inputs at these checkpoints, then fails.
    client.completeCheckpoint('2'.repeat(32));
    const newest = client.completeCheckpoint('2'.repeat(32));
    client.fail('2'.repeat(32), 'TaskManager lost');

    await driver.start(flinkJob(JOB_A));

    expect(client.runs[2].options).toMatchObject({ jobId: '3'.repeat(32), savepointPath: newest });
    expect(await store.findDeployment(JOB_A)).toMatchObject({
      flinkJobId: '3'.repeat(32),
      savepointPath: newest,
    });
  });

  it('restarts from a savepoint taken after the last checkpoint when it is newer', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    client.completeCheckpoint('1'.repeat(32));
    const job = client.jobs.get('1'.repeat(32))!;
    job.checkpoints = {
      ...job.checkpoints,
      latestSavepoint: {
        id: 5,
        externalPath: 'file:/savepoints/manual-5',
        triggerTimestamp: 5000,
        discarded: false,
      },
    };
    client.fail('1'.repeat(32), 'boom');

    await driver.start(flinkJob(JOB_A));
    expect(client.runs[1].options.savepointPath).toBe('file:/savepoints/manual-5');
  });

  it('restarts a job that failed before its first checkpoint from what it was restored from', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    const checkpoint = client.completeCheckpoint('1'.repeat(32));
    client.fail('1'.repeat(32), 'boom');
    await driver.start(flinkJob(JOB_A));
    client.fail('2'.repeat(32), 'boom again');

    await driver.start(flinkJob(JOB_A));
    expect(client.runs.map((r) => r.options.savepointPath)).toEqual([
      undefined,
      checkpoint,
      checkpoint,
    ]);
  });

  it('stopping a job that already failed records its newest checkpoint, not the stale savepoint', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.stop(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));
    const newest = client.completeCheckpoint('2'.repeat(32));
    client.fail('2'.repeat(32), 'boom');

    await driver.stop(flinkJob(JOB_A));
    expect(await store.findDeployment(JOB_A)).toMatchObject({
      flinkJobId: null,
      savepointPath: newest,
    });
    await driver.start(flinkJob(JOB_A));
    expect(client.runs[2].options.savepointPath).toBe(newest);
  });

  it('falls back to the recorded restore point when Flink no longer knows the failed job', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.stop(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));
    client.forget('2'.repeat(32));

    await driver.start(flinkJob(JOB_A));
    expect(client.runs[2].options.savepointPath).toBe('file:/savepoints/savepoint-1');
  });

  it('re-uploads at start when the cluster lost the jar since install, and runs it', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    client.jars.clear();
    await driver.start(flinkJob(JOB_A));
    expect(client.uploads).toHaveLength(2);
    expect(client.runs.map((run) => run.jarId)).toEqual([client.uploads[1]]);
    expect((await store.findDeployment(JOB_A))?.jarId).toBe(client.uploads[1]);

    // The next install and start use the new upload without asking again.
    await driver.install(flinkJob(JOB_B), filterConfig(JOB_B));
    await driver.start(flinkJob(JOB_B));
    expect(client.uploads).toHaveLength(2);
    expect(client.runs[1].jarId).toBe(client.uploads[1]);
  });

  it('uninstall cancels the running job and forgets the deployment and its savepoint', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    await driver.stop(flinkJob(JOB_A));
    await driver.start(flinkJob(JOB_A));

    await expect(driver.uninstall(flinkJob(JOB_A))).resolves.toBeUndefined();
    expect(client.cancels).toEqual(['2'.repeat(32)]);
    expect(client.running()).toEqual([]);
    expect(await store.findDeployment(JOB_A)).toBeNull();

    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    expect(client.runs[2].options.savepointPath).toBeUndefined();
  });

  it('uninstall accepts a job Flink already ended (409) and a stopped rule', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    await driver.start(flinkJob(JOB_A));
    client.fail('1'.repeat(32), 'boom');
    await driver.uninstall(flinkJob(JOB_A));
    expect(await store.findDeployment(JOB_A)).toBeNull();

    await driver.install(flinkJob(JOB_B), filterConfig(JOB_B));
    await driver.uninstall(flinkJob(JOB_B));
    expect(client.cancels).toEqual(['1'.repeat(32)]);
  });

  it('maps an unreachable cluster to RUNTIME_UNAVAILABLE naming targetResource', async () => {
    client.reachable = false;
    const error = await errorOf(driver.install(flinkJob(JOB_A), filterConfig(JOB_A)));
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect(error.errors[0].field).toBe('targetResource');
    expect(error.message).toContain(CLUSTER);
  });

  it("maps Flink's refusal to RUNTIME_ERROR with Flink's reason and forgets the attempt", async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    client.refuseRun = 'org.apache.flink.client.program.ProgramInvocationException: bad args';
    const error = await errorOf(driver.start(flinkJob(JOB_A)));
    expect(error.code).toBe('RUNTIME_ERROR');
    expect(error.message).toContain('ProgramInvocationException: bad args');
    expect((await store.findDeployment(JOB_A))?.flinkJobId).toBeNull();
  });

  it('never returns broker credentials in an error', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    client.refuseRun =
      'main() failed for --broker edge=amqp://edgeuser:edgepass@rabbit-edge:5672/edge';
    const error = await errorOf(driver.start(flinkJob(JOB_A)));
    expect(JSON.stringify(error.toJSON())).not.toContain('edgepass');
    expect(error.message).toContain('amqp://rabbit-edge:5672/edge');
  });

  it('cancels a job that failed while starting and reports it', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    client.stateAfterRun = 'FAILED';
    const error = await errorOf(driver.start(flinkJob(JOB_A)));
    expect(error.code).toBe('RUNTIME_ERROR');
    expect((await store.findDeployment(JOB_A))?.flinkJobId).toBeNull();
  });

  it('keeps a run it could not confirm ended on record: a retried start joins it, never a second job', async () => {
    await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
    const busy = () =>
      new FlinkUnavailableError('getJob', client.baseUrl, 'no answer within 10000 ms');
    // The run was submitted, then the JobManager stopped answering (a loaded machine).
    jest.spyOn(client, 'waitForJobRunning').mockRejectedValueOnce(busy());
    jest.spyOn(client, 'cancelJob').mockRejectedValueOnce(busy());
    const error = await errorOf(driver.start(flinkJob(JOB_A)));
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect((await store.findDeployment(JOB_A))?.flinkJobId).toBe('1'.repeat(32));

    await driver.start(flinkJob(JOB_A));
    expect(client.runs).toHaveLength(1);
    expect(client.running()).toEqual(['1'.repeat(32)]);
  });

  it('refuses a cluster it does not know and a rule not installed there', async () => {
    const unknown = await errorOf(
      driver.install(flinkJob(JOB_A, { targetResource: 'other' }), filterConfig(JOB_A)),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.errors[0].field).toBe('targetResource');
    expect((await errorOf(driver.start(flinkJob(JOB_B)))).code).toBe('NOT_FOUND');
  });

  it('refuses at install a rule whose broker Flink cannot reach (in-memory broker)', async () => {
    const memoryDriver = new FlinkJobDriver(
      [
        {
          name: CLUSTER,
          client,
          brokerArgs: new FlinkBrokerArgs({
            named: { edge: { kind: 'memory' }, core: { kind: 'memory' } },
          }),
          startTimeoutMs: 1000,
          savepointTimeoutMs: 1000,
          checkpointIntervalMs: 1000,
        },
      ],
      templates,
      store,
    );
    const error = await errorOf(memoryDriver.install(flinkJob(JOB_A), filterConfig(JOB_A)));
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect(client.uploads).toEqual([]);
  });

  describe('free task slots, which Flink frees a moment after a job ended', () => {
    const windowJob = flinkJob(JOB_A, { jobType: 'window-aggregation' });
    const windowConfig = { ...filterConfig(JOB_A), jobType: 'window-aggregation' };
    const snapshot = {
      format: 'ruleshift.snapshot/v1' as const,
      jobId: JOB_A,
      jobType: 'window-aggregation',
      templateVersion: '1.0.0',
      takenAt: '2024-05-01T12:00:00.000Z',
      watermark: null,
      state: { windows: [], countWindows: [] },
    };
    /** Other rules' jobs: the cluster (4 slots) keeps exactly one free. */
    const occupyAllButOne = () => {
      for (const c of ['c', 'd', 'e']) client.jobs.set(c.repeat(32), { state: 'RUNNING' });
    };
    let nowMs: number;
    beforeEach(() => {
      nowMs = Date.parse('2026-06-01T12:00:00.000Z');
      client.slotReleaseReads = 3;
      driver = new FlinkJobDriver([clusterOf(client)], templates, store, {
        newFlinkJobId: () => ids.shift()!,
        now: () => new Date(nowMs),
        sleep: (ms) => {
          nowMs += ms;
          return Promise.resolve();
        },
      });
    });

    it('starts in the one free slot its own import job just used', async () => {
      occupyAllButOne();
      await driver.install(windowJob, windowConfig, snapshot);
      await driver.start(windowJob);
      expect(client.running()).toContain('1'.repeat(32));
    });

    it('starts again in the one free slot its own stopped job just left', async () => {
      occupyAllButOne();
      await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
      await driver.start(flinkJob(JOB_A));
      await driver.stop(flinkJob(JOB_A));
      await driver.start(flinkJob(JOB_A));
      expect(client.running()).toContain('2'.repeat(32));
    });

    it('refuses a full cluster at once when no job just ended there, and after the wait when one did', async () => {
      occupyAllButOne();
      client.jobs.set('b'.repeat(32), { state: 'RUNNING' });
      const full = await errorOf(driver.install(flinkJob(JOB_A), filterConfig(JOB_A)));
      expect(full).toBeInstanceOf(Conflict);
      expect(full.errors).toEqual([
        { field: 'jobConfig.parallelism', reason: expect.stringMatching(/has 0 free of 4/) },
      ]);
      expect(client.calls.filter((c) => c === 'overview')).toHaveLength(1);

      client.jobs.delete('b'.repeat(32));
      await driver.install(flinkJob(JOB_A), filterConfig(JOB_A));
      await driver.start(flinkJob(JOB_A));
      await driver.stop(flinkJob(JOB_A));
      client.jobs.set('b'.repeat(32), { state: 'RUNNING' });
      const still = await errorOf(driver.start(flinkJob(JOB_A)));
      expect(still).toBeInstanceOf(Conflict);
      expect(still.errors[0].field).toBe('jobConfig.parallelism');
    });
  });

  it('carries state to Flink and to agents', () => {
    expect(driver.canCarryState('flink')).toBe(true);
    expect(driver.canCarryState('edge')).toBe(true);
  });

  describe('window state across engines', () => {
    const windowJob = flinkJob(JOB_A, { jobType: 'window-aggregation' });
    const windowConfig = { ...filterConfig(JOB_A), jobType: 'window-aggregation' };
    const snapshot = {
      format: 'ruleshift.snapshot/v1' as const,
      jobId: JOB_A,
      jobType: 'window-aggregation',
      templateVersion: '1.0.0',
      takenAt: '2024-05-01T12:00:00.000Z',
      watermark: 2100,
      state: {
        windows: [{ key: 'a', start: 2000, end: 3000, count: 1, sum: 5, min: 5, max: 5 }],
        countWindows: [],
      },
    };
    const decoded = (args: string[] | undefined, flag: string): unknown => {
      const value = args?.[args.indexOf(flag) + 1] ?? '';
      return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    };

    it('an install with a snapshot writes it as a savepoint in the cluster savepoint directory, which the first start restores', async () => {
      await driver.install(windowJob, windowConfig, snapshot);

      expect(client.runs).toHaveLength(1);
      const write = client.runs[0].options;
      expect(write.entryClass).toBe('io.ruleshift.flink.SnapshotImportJob');
      expect(decoded(write.programArgsList, '--snapshot-base64')).toEqual(snapshot);
      expect(decoded(write.programArgsList, '--config-base64')).toEqual(windowConfig);
      const path = write.programArgsList?.[write.programArgsList.indexOf('--savepoint-path') + 1];
      expect(path).toMatch(new RegExp(`^file:///flink/savepoints/ruleshift-import-${JOB_A}-`));

      await driver.start(windowJob);
      expect(client.runs[1].options).toMatchObject({
        entryClass: 'io.ruleshift.flink.WindowAggregationJob',
        savepointPath: path,
      });
    });

    it('a stop asked to export reads the stop savepoint into the neutral snapshot', async () => {
      await driver.install(windowJob, windowConfig);
      await driver.start(windowJob);
      client.exportedSnapshot = snapshot;

      await expect(driver.stop(windowJob, { exportState: true })).resolves.toEqual(snapshot);
      const read = client.runs[1].options;
      expect(read.entryClass).toBe('io.ruleshift.flink.SnapshotExportJob');
      expect(read.programArgsList).toEqual(
        expect.arrayContaining(['--savepoint', 'file:/savepoints/savepoint-1']),
      );
    });

    it('a plain stop exports nothing (the savepoint stays the state)', async () => {
      await driver.install(windowJob, windowConfig);
      await driver.start(windowJob);

      await expect(driver.stop(windowJob)).resolves.toBeUndefined();
      expect(client.runs).toHaveLength(1);
    });

    it('an uninstall asked to export reads a stopped rule savepoint before forgetting it', async () => {
      await driver.install(windowJob, windowConfig, snapshot);
      client.exportedSnapshot = snapshot;

      await expect(driver.uninstall(windowJob, { exportState: true })).resolves.toEqual(snapshot);
      expect(client.runs.map((r) => r.options.entryClass)).toEqual([
        'io.ruleshift.flink.SnapshotImportJob',
        'io.ruleshift.flink.SnapshotExportJob',
      ]);
      expect(await store.findDeployment(JOB_A)).toBeNull();
    });

    it('refuses when the export job returned no snapshot, keeping the deployment', async () => {
      await driver.install(windowJob, windowConfig, snapshot);

      const error = await errorOf(driver.uninstall(windowJob, { exportState: true }));
      expect(error.code).toBe('RUNTIME_ERROR');
      expect(error.message).toMatch(/returned no snapshot/);
      expect(await store.findDeployment(JOB_A)).not.toBeNull();
    });

    it('cancels a state job that did not finish in time, so it holds no task slot', async () => {
      client.stateJobState = 'RUNNING';
      const imported = await errorOf(driver.install(windowJob, windowConfig, snapshot));
      expect(imported.code).toBe('RUNTIME_ERROR');
      const importJob = client.runs[0].options.jobId!;
      expect(client.cancels).toEqual([importJob]);

      client.stateJobState = 'FINISHED';
      await driver.install(windowJob, windowConfig);
      await driver.start(windowJob);
      client.stateJobState = 'RUNNING';
      client.exportedSnapshot = snapshot;
      expect((await errorOf(driver.stop(windowJob, { exportState: true }))).code).toBe(
        'RUNTIME_ERROR',
      );
      const exportJob = client.runs.at(-1)!.options;
      expect(exportJob.entryClass).toBe('io.ruleshift.flink.SnapshotExportJob');
      expect(client.cancels).toEqual([importJob, exportJob.jobId]);
      expect(client.running()).toEqual([]);

      // A run whose answer was lost (the JobManager submitted it, then the request timed out).
      client.stateJobState = 'FINISHED';
      jest.spyOn(client, 'runJar').mockImplementationOnce((_jarId, options) => {
        client.jobs.set(options.jobId!, { state: 'RUNNING' });
        return Promise.reject(new FlinkUnavailableError('runJar', client.baseUrl, 'timed out'));
      });
      await errorOf(driver.uninstall(windowJob, { exportState: true }));
      expect(client.running()).toEqual([]);
    });

    it('refuses an exported state that is not a ruleshift.snapshot/v1 of the rule, naming the cluster and job', async () => {
      await driver.install(windowJob, windowConfig, snapshot);
      client.exportedSnapshot = { ...snapshot, format: 'ruleshift.snapshot/v0' };
      const wrongFormat = await errorOf(driver.uninstall(windowJob, { exportState: true }));
      expect(wrongFormat.code).toBe('RUNTIME_ERROR');
      expect(wrongFormat.message).toContain(`Flink cluster ${CLUSTER}`);
      expect(wrongFormat.message).toContain(client.runs.at(-1)!.options.jobId!);
      expect(wrongFormat.message).toMatch(/format/);

      client.exportedSnapshot = { ...snapshot, jobId: JOB_B };
      expect((await errorOf(driver.uninstall(windowJob, { exportState: true }))).message).toMatch(
        /jobId/,
      );

      jest.spyOn(client, 'jobAccumulators').mockResolvedValue({ 'ruleshift-snapshot': '{"format' });
      const notJson = await errorOf(driver.uninstall(windowJob, { exportState: true }));
      expect(notJson.code).toBe('RUNTIME_ERROR');
      expect(notJson.message).toContain(`Flink cluster ${CLUSTER}`);
      expect(notJson.message).toMatch(/not JSON/);
      expect(await store.findDeployment(JOB_A)).not.toBeNull();
    });

    it('stateless rules never run a state job', async () => {
      await driver.install(flinkJob(JOB_A), filterConfig(JOB_A), snapshot);
      await driver.start(flinkJob(JOB_A));
      await driver.stop(flinkJob(JOB_A), { exportState: true });
      expect(client.runs.map((r) => r.options.entryClass)).toEqual([
        'io.ruleshift.flink.FilterJob',
      ]);
    });
  });
});
