import { FlinkBrokerArgs } from '../../../drivers/flink/flink-broker-args';
import type { FlinkDeployment } from '../../../drivers/flink/persistence/flink-deployment-store';
import { InMemoryFlinkDeploymentStore } from '../../../drivers/flink/persistence/in-memory-flink-deployment-store';
import { FakeFlinkClient } from '../../../drivers/flink/testing/fake-flink-client';
import { CLUSTER, filterConfig } from '../../../drivers/flink/testing/flink-fixtures';
import { FlinkClusterPoller } from '../../flink-cluster-poller';
import type { RuleMetrics } from '@ruleshift/contracts';
import {
  type FlinkClusterStatus,
  FlinkRuleFiguresSink,
  type FlinkRuleLoad,
  FlinkRuntimeHealthSink,
  JobFailureReporter,
  RunningFlinkJobs,
} from './flink-reconcile-ports';
import { ReconcileFlinkClusterUseCase } from './reconcile-flink-cluster.usecase';

class RecordingHealth extends FlinkRuntimeHealthSink {
  readonly reports: FlinkClusterStatus[] = [];
  report(status: FlinkClusterStatus): Promise<void> {
    this.reports.push(status);
    return Promise.resolve();
  }
}

class FixedRunning extends RunningFlinkJobs {
  ids: string[] = [];
  runningOn(cluster: string): Promise<string[]> {
    return Promise.resolve(cluster === CLUSTER ? this.ids : []);
  }
}

class RecordingFailures extends JobFailureReporter {
  readonly failed: { jobId: string; reason: string }[] = [];
  reportFailed(jobId: string, reason: string): Promise<void> {
    this.failed.push({ jobId, reason });
    return Promise.resolve();
  }
}

class RecordingFigures extends FlinkRuleFiguresSink {
  readonly byJob = new Map<string, RuleMetrics>();
  readonly loads = new Map<string, FlinkRuleLoad>();
  record(_cluster: string, jobId: string, metrics: RuleMetrics, load: FlinkRuleLoad): void {
    this.byJob.set(jobId, metrics);
    this.loads.set(jobId, load);
  }
  forget(_cluster: string, jobId: string): void {
    this.byJob.delete(jobId);
    this.loads.delete(jobId);
  }
}

class StepTimer {
  current = Date.parse('2026-01-01T00:00:00.000Z');
  task: (() => void) | null = null;
  now(): Date {
    return new Date(this.current);
  }
  every(_intervalMs: number, task: () => void): () => void {
    this.task = task;
    return () => (this.task = null);
  }
}

const JOB_A = '00000000-0000-4000-8000-00000000000a';
const JOB_B = '00000000-0000-4000-8000-00000000000b';
const FLINK_A = 'a'.repeat(32);
const FLINK_B = 'b'.repeat(32);

const deployment = (jobId: string, flinkJobId: string | null): FlinkDeployment => ({
  jobId,
  cluster: CLUSTER,
  jobType: 'filter',
  templateVersion: '1.0.0',
  jarSha256: 'sha',
  jarId: 'jar',
  entryClass: 'io.ruleshift.flink.FilterJob',
  config: filterConfig(jobId),
  flinkJobId,
  savepointPath: null,
  confirmedSavepointPath: null,
  updatedAt: new Date(0),
});

describe('ReconcileFlinkClusterUseCase and its poller', () => {
  let client: FakeFlinkClient;
  let health: RecordingHealth;
  let running: FixedRunning;
  let failures: RecordingFailures;
  let figures: RecordingFigures;
  let store: InMemoryFlinkDeploymentStore;
  let timer: StepTimer;
  let reconcile: ReconcileFlinkClusterUseCase;
  let monitor: FlinkClusterPoller;

  beforeEach(() => {
    client = new FakeFlinkClient();
    health = new RecordingHealth();
    running = new FixedRunning();
    failures = new RecordingFailures();
    figures = new RecordingFigures();
    store = new InMemoryFlinkDeploymentStore();
    timer = new StepTimer();
    reconcile = new ReconcileFlinkClusterUseCase(
      [
        {
          name: CLUSTER,
          client,
          brokerArgs: new FlinkBrokerArgs({ named: {} }),
          startTimeoutMs: 1,
          savepointTimeoutMs: 1,
          checkpointIntervalMs: 1000,
        },
      ],
      health,
      running,
      failures,
      store,
      figures,
      timer,
    );
    monitor = new FlinkClusterPoller(reconcile, timer, 5000);
  });

  it('registers the cluster UP with its figures as soon as it starts', async () => {
    await monitor.start();
    expect(health.reports).toEqual([
      {
        cluster: CLUSTER,
        health: 'UP',
        lastSeenAt: timer.now(),
        details: {
          restUrl: client.baseUrl,
          taskmanagers: 1,
          slotsTotal: 4,
          slotsAvailable: 4,
          jobsRunning: 0,
          flinkVersion: '1.20.5',
        },
      },
    ]);
    await monitor.stop();
  });

  it('checks again on every tick and reports UNREACHABLE with the last time it answered', async () => {
    await monitor.start();
    const seen = timer.now();
    client.reachable = false;
    timer.current += 5000;
    timer.task!();
    await monitor.stop();
    expect(health.reports[1]).toMatchObject({
      health: 'UNREACHABLE',
      lastSeenAt: seen,
      details: { restUrl: client.baseUrl, error: expect.stringContaining('ECONNREFUSED') },
    });
    expect(timer.task).toBeNull();
  });

  it('reports a cluster without TaskManagers UNREACHABLE', async () => {
    client.taskmanagers = 0;
    const [status] = await reconcile.execute();
    expect(status.health).toBe('UNREACHABLE');
    expect(status.details.taskmanagers).toBe(0);
  });

  it("reports a rule FAILED with Flink's root cause when its job failed", async () => {
    client.jobs.set(FLINK_A, { state: 'RUNNING' });
    client.fail(
      FLINK_B,
      'java.io.IOException: x\nCaused by: com.rabbitmq.client.ShutdownSignalException: NOT_FOUND',
    );
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    await store.saveDeployment(deployment(JOB_B, FLINK_B));
    running.ids = [JOB_A, JOB_B];

    await reconcile.execute();
    expect(failures.failed).toEqual([
      {
        jobId: JOB_B,
        reason: expect.stringMatching(/FAILED: .*ShutdownSignalException: NOT_FOUND/),
      },
    ]);
  });

  it('reports a rule whose job was cancelled behind our back or vanished', async () => {
    client.jobs.set(FLINK_A, { state: 'CANCELED' });
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    await store.saveDeployment(deployment(JOB_B, FLINK_B));
    running.ids = [JOB_A, JOB_B];

    await reconcile.execute();
    expect(failures.failed.map((f) => f.jobId)).toEqual([JOB_A, JOB_B]);
    expect(failures.failed[0].reason).toContain('is CANCELED');
    expect(failures.failed[1].reason).toContain(`${FLINK_B} no longer exists`);
  });

  it('fails no rule while the cluster is unreachable', async () => {
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    running.ids = [JOB_A];
    client.reachable = false;
    await reconcile.execute();
    expect(failures.failed).toEqual([]);
  });

  it('leaves alone a job the registry does not say is running', async () => {
    client.fail(FLINK_A, 'boom');
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    running.ids = [];
    await reconcile.execute();
    expect(failures.failed).toEqual([]);
  });

  it("reads a running rule's figures from Flink's operator metrics, summed over its vertices", async () => {
    // The metric ids Flink 1.20 gives a filter job's chained operators (seen on a real cluster).
    client.jobs.set(FLINK_A, {
      state: 'RUNNING',
      metrics: {
        'Source__rmq-in-0_probe-852b0622_rule-input.numRecordsOut': 101,
        'Source__rmq-in-0_probe-852b0622_rule-input.numRecordsIn': 0,
        'filter_$_temperature.numRecordsIn': 101,
        'filter_$_temperature.numRecordsOut': 50,
        'rmq-out_probe-852b0622_out__Writer.numRecordsIn': 50,
        'rmq-out_probe-852b0622_out__Writer.numRecordsSend': 0,
        'rmq-dlx-0_ruleshift_dlx__Writer.numRecordsIn': 1,
        numRecordsIn: 0,
        numRecordsOut: 0,
      },
      backpressure: { backPressuredRatio: 0.25, busyRatio: 0.875 },
    });
    client.fail(FLINK_B, 'boom');
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    await store.saveDeployment(deployment(JOB_B, FLINK_B));
    figures.record(
      CLUSTER,
      JOB_B,
      { eventsIn: 7, eventsOut: 7, deadLettered: {} },
      { at: new Date(0) },
    );
    running.ids = [JOB_A, JOB_B];

    await reconcile.execute();
    expect(figures.byJob.get(JOB_A)).toEqual({
      eventsIn: 101,
      eventsOut: 50,
      deadLettered: { any: 1 },
    });
    // Its saturation: the busiest subtask's busy or back-pressured share, whichever is higher.
    expect(figures.loads.get(JOB_A)).toEqual({ at: timer.now(), backpressure: 0.875 });
    // A rule whose Flink job ended has no current figures any more.
    expect(figures.byJob.has(JOB_B)).toBe(false);
  });

  it('keeps reconciling when Flink will not give the metrics', async () => {
    client.jobs.set(FLINK_A, { state: 'RUNNING' });
    client.fail(FLINK_B, 'boom');
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    await store.saveDeployment(deployment(JOB_B, FLINK_B));
    running.ids = [JOB_A, JOB_B];
    const vertexMetrics = jest
      .spyOn(client, 'vertexMetrics')
      .mockRejectedValue(new Error('metric fetcher busy'));
    await reconcile.execute();
    expect(figures.byJob.has(JOB_A)).toBe(false);
    expect(failures.failed.map((f) => f.jobId)).toEqual([JOB_B]);
    vertexMetrics.mockRestore();
  });

  it('keeps the figures without a backpressure when Flink will not say it', async () => {
    client.jobs.set(FLINK_A, { state: 'RUNNING', metrics: {} });
    await store.saveDeployment(deployment(JOB_A, FLINK_A));
    running.ids = [JOB_A];
    const backpressure = jest
      .spyOn(client, 'vertexBackpressure')
      .mockRejectedValue(new Error('not ready'));
    await reconcile.execute();
    expect(figures.byJob.get(JOB_A)).toEqual({ eventsIn: 0, eventsOut: 0, deadLettered: {} });
    expect(figures.loads.get(JOB_A)).toEqual({ at: timer.now() });
    backpressure.mockRestore();
  });
});
