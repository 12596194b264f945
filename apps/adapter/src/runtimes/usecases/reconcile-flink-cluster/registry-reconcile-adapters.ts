import { Inject, Injectable } from '@nestjs/common';
import type { RuleMetrics } from '@ruleshift/contracts';
import { JobRepository } from '../../../registry/job.repository';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { JobAccess } from '../../../rules/job-access';
import { Clock } from '../../../shared/clock';
import { RuntimeFigures } from '../../runtime-figures';
import {
  type FlinkClusterStatus,
  FlinkRuleFiguresSink,
  type FlinkRuleLoad,
  FlinkRuntimeHealthSink,
  JobFailureReporter,
  RunningFlinkJobs,
} from './flink-reconcile-ports';

/** Cluster health into the runtime table, next to the agents (GET /api/runtimes). */
@Injectable()
export class RegistryFlinkRuntimeHealth extends FlinkRuntimeHealthSink {
  constructor(@Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository) {
    super();
  }

  async report(status: FlinkClusterStatus): Promise<void> {
    await this.runtimes.upsert({
      kind: 'flink',
      targetResource: status.cluster,
      health: status.health,
      startedAt: null,
      lastSeenAt: status.lastSeenAt,
      details: status.details,
    });
  }
}

@Injectable()
export class RegistryRunningFlinkJobs extends RunningFlinkJobs {
  constructor(@Inject(JobRepository) private readonly jobs: JobRepository) {
    super();
  }

  async runningOn(cluster: string): Promise<string[]> {
    return (await this.jobs.listRunningOn('flink', cluster)).map((job) => job.id);
  }
}

/** Same rules as RecordHeartbeatUseCase for edge rules: only an idle RUNNING flink job fails. */
@Injectable()
export class RegistryJobFailureReporter extends JobFailureReporter {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  async reportFailed(jobId: string, reason: string): Promise<void> {
    const job = await this.jobs.findById(jobId);
    if (!job || job.runtime !== 'flink' || job.status !== 'RUNNING' || job.operation) return;
    const failed = this.access.eventOf({ ...job, status: 'FAILED' }, 'failed', { reason });
    const updated = await this.jobs.updateIdle(
      job.id,
      { status: 'FAILED', failureReason: reason, updatedAt: this.clock.now() },
      [failed],
      this.access.historyOf(job, 'FAILED', reason),
    );
    if (!updated) return;
    await this.access.publishCommitted();
  }
}

/** Flink rules' figures into the adapter's RuntimeFigures, beside the agents' heartbeats. */
@Injectable()
export class RuntimeFiguresFlinkSink extends FlinkRuleFiguresSink {
  constructor(@Inject(RuntimeFigures) private readonly runtimeFigures: RuntimeFigures) {
    super();
  }

  record(cluster: string, jobId: string, metrics: RuleMetrics, load: FlinkRuleLoad): void {
    this.runtimeFigures.recordFlinkRule(cluster, jobId, { metrics, ...load });
  }

  forget(cluster: string, jobId: string): void {
    this.runtimeFigures.forgetFlinkRule(cluster, jobId);
  }
}
