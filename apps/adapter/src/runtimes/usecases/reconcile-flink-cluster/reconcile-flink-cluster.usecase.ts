import { redactUrl } from '@ruleshift/broker';
import { TERMINAL_JOB_STATES, summarizeFlinkError } from '@ruleshift/flink-client';
import type { FlinkCluster } from '../../../drivers/flink/flink-cluster';
import { isUnknownJob } from '../../../drivers/flink/flink-errors';
import type { FlinkDeploymentStore } from '../../../drivers/flink/persistence/flink-deployment-store';
import { readFlinkRuleBackpressure } from '../../../drivers/flink/flink-rule-backpressure';
import { readFlinkRuleMetrics } from '../../../drivers/flink/flink-rule-metrics';
import type { RuleMetrics } from '@ruleshift/contracts';
import {
  type FlinkClusterStatus,
  FlinkRuleFiguresSink,
  type FlinkRuleLoad,
  FlinkRuntimeHealthSink,
  JobFailureReporter,
  RunningFlinkJobs,
} from './flink-reconcile-ports';

export interface ReconcileLogger {
  warn(message: string): void;
  error(message: string): void;
}

const silentLogger: ReconcileLogger = { warn: () => undefined, error: () => undefined };

/**
 * The Flink side of runtime reconciliation, the counterpart of RecordHeartbeatUseCase for
 * agents (Flink is polled, agents push): registers each Flink cluster as a runtime and keeps
 * its health current from GET /overview, then reconciles: a rule the registry says RUNNING
 * whose Flink job ended (FAILED, CANCELED, FINISHED) or vanished is reported FAILED with
 * Flink's root cause. An unreachable cluster fails no rule: it may come back with its jobs
 * (they were not seen to end). A running rule's figures are read from Flink's REST metrics
 * in the same round, with how saturated its job is (the placement service's backpressure
 * signal). FlinkClusterPoller runs it on a timer.
 */
export class ReconcileFlinkClusterUseCase {
  private readonly lastSeen = new Map<string, Date>();

  constructor(
    private readonly clusters: FlinkCluster[],
    private readonly health: FlinkRuntimeHealthSink,
    private readonly running: RunningFlinkJobs,
    private readonly failures: JobFailureReporter,
    private readonly store: FlinkDeploymentStore,
    private readonly figures: FlinkRuleFiguresSink,
    private readonly clock: { now(): Date },
    private readonly logger: ReconcileLogger = silentLogger,
  ) {}

  async execute(): Promise<FlinkClusterStatus[]> {
    const statuses: FlinkClusterStatus[] = [];
    for (const cluster of this.clusters) statuses.push(await this.check(cluster));
    return statuses;
  }

  private async check(cluster: FlinkCluster): Promise<FlinkClusterStatus> {
    const status = await this.probe(cluster);
    await this.health.report(status);
    if (status.details.taskmanagers !== undefined) await this.reconcile(cluster);
    return status;
  }

  private async probe(cluster: FlinkCluster): Promise<FlinkClusterStatus> {
    const restUrl = cluster.client.baseUrl;
    try {
      const overview = await cluster.client.overview();
      const now = this.clock.now();
      this.lastSeen.set(cluster.name, now);
      return {
        cluster: cluster.name,
        // Without a TaskManager no rule can run, whatever the JobManager says.
        health: overview.taskmanagers >= 1 ? 'UP' : 'UNREACHABLE',
        lastSeenAt: now,
        details: {
          restUrl,
          taskmanagers: overview.taskmanagers,
          slotsTotal: overview.slotsTotal,
          slotsAvailable: overview.slotsAvailable,
          jobsRunning: overview.jobsRunning,
          flinkVersion: overview.flinkVersion,
        },
      };
    } catch (error) {
      return {
        cluster: cluster.name,
        health: 'UNREACHABLE',
        lastSeenAt: this.lastSeen.get(cluster.name) ?? null,
        details: {
          restUrl,
          error: redactUrl(error instanceof Error ? error.message : String(error)),
        },
      };
    }
  }

  private async reconcile(cluster: FlinkCluster): Promise<void> {
    for (const jobId of await this.running.runningOn(cluster.name)) {
      try {
        await this.reconcileJob(cluster, jobId);
      } catch (error) {
        // One rule's check must not keep the others from being checked.
        this.logger.warn(`reconciling job ${jobId} failed: ${redactUrl(String(error))}`);
      }
    }
  }

  private async reconcileJob(cluster: FlinkCluster, jobId: string): Promise<void> {
    const deployment = await this.store.findDeployment(jobId);
    const flinkJobId = deployment?.cluster === cluster.name ? deployment.flinkJobId : null;
    if (!flinkJobId) {
      await this.failures.reportFailed(
        jobId,
        `no Flink job is recorded for this rule on cluster ${cluster.name}`,
      );
      return;
    }
    const reason = await this.deathOf(cluster, flinkJobId);
    if (!reason) {
      await this.sampleFigures(cluster, jobId, flinkJobId);
      return;
    }
    this.figures.forget(cluster.name, jobId);
    // A stop or uninstall may have ended the job on purpose since the registry was read.
    const current = await this.store.findDeployment(jobId);
    if (current?.flinkJobId !== flinkJobId) return;
    await this.failures.reportFailed(jobId, redactUrl(reason));
  }

  /** A rule's figures are worth a warning when Flink will not give them, never a failure. */
  private async sampleFigures(
    cluster: FlinkCluster,
    jobId: string,
    flinkJobId: string,
  ): Promise<void> {
    let metrics: RuleMetrics;
    try {
      metrics = await readFlinkRuleMetrics(cluster.client, flinkJobId);
    } catch (error) {
      this.logger.warn(`metrics of job ${jobId} not read: ${redactUrl(String(error))}`);
      return;
    }
    const load: FlinkRuleLoad = { at: this.clock.now() };
    try {
      const backpressure = await readFlinkRuleBackpressure(cluster.client, flinkJobId);
      if (backpressure !== undefined) load.backpressure = backpressure;
    } catch (error) {
      this.logger.warn(`backpressure of job ${jobId} not read: ${redactUrl(String(error))}`);
    }
    this.figures.record(cluster.name, jobId, metrics, load);
  }

  /** Why the job is no longer running, or undefined while it runs (or restarts). */
  private async deathOf(cluster: FlinkCluster, flinkJobId: string): Promise<string | undefined> {
    let state: string;
    try {
      state = (await cluster.client.getJob(flinkJobId)).state;
    } catch (error) {
      if (isUnknownJob(error)) {
        return `Flink job ${flinkJobId} no longer exists on cluster ${cluster.name}`;
      }
      throw error;
    }
    if (!TERMINAL_JOB_STATES.has(state)) return undefined;
    const rootCause = await cluster.client
      .jobExceptions(flinkJobId)
      .then((e) => e.rootException)
      .catch(() => undefined);
    return (
      `Flink job ${flinkJobId} on cluster ${cluster.name} is ${state}` +
      (rootCause ? `: ${summarizeFlinkError(rootCause)}` : '')
    );
  }
}
