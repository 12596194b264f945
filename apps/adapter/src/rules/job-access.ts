import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Conflict,
  NotFound,
  isJobId,
  type JobEvent,
  type JobEventName,
  type JobInfo,
  type JobStatus,
} from '@ruleshift/contracts';
import { EventPublisher } from '../events/event-publisher';
import { Clock } from '../shared/clock';
import type { JobEntity, JobOperation } from '../registry/entities/job.entity';
import { JobRepository, type JobPatch } from '../registry/job.repository';
import { RegistryRetry } from '../registry/registry-retry';
import type { DriverJob } from '../drivers/runtime-driver';

export const IN_PROGRESS_REASON = 'another operation is in progress';

/**
 * Loading, checking and holding jobs: the serialisation every mutating use case shares.
 * `fieldPrefix` is where the jobInfo sits in the request ('' for start/stop/uninstall,
 * 'jobInfo.' for move) so errors name the right field.
 */
@Injectable()
export class JobAccess {
  private readonly logger = new Logger(JobAccess.name);

  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RegistryRetry) private readonly retry: RegistryRetry,
    @Inject(EventPublisher) private readonly events: EventPublisher,
  ) {}

  async load(jobId: string, field = 'jobId'): Promise<JobEntity> {
    // Only ids as issued (lower-case UUIDs) name a job, whatever the registry's collation.
    const job = isJobId(jobId) ? await this.jobs.findById(jobId) : null;
    if (!job) throw new NotFound(field, `no job with id ${String(jobId).slice(0, 100)}`);
    return job;
  }

  /** Loads the job a request's jobInfo names and checks that jobInfo against the registry. */
  async loadFor(info: JobInfo, fieldPrefix: string): Promise<JobEntity> {
    const job = await this.load(info.jobId, `${fieldPrefix}jobId`);
    if (info.jobType !== job.jobType) {
      throw new Conflict(
        `${fieldPrefix}jobType`,
        `jobInfo is stale: job ${job.id} is a ${job.jobType}, not a ${info.jobType}`,
      );
    }
    if (info.runtime !== job.runtime) {
      throw new Conflict(
        `${fieldPrefix}runtime`,
        `jobInfo is stale: job ${job.id} runs on ${job.runtime}, not on ${info.runtime}`,
      );
    }
    return job;
  }

  requireStatus(
    job: JobEntity,
    allowed: readonly JobStatus[],
    action: string,
    fieldPrefix: string,
  ): void {
    if (job.operation !== null) throw new Conflict(`${fieldPrefix}jobId`, IN_PROGRESS_REASON);
    if (!allowed.includes(job.status)) {
      throw new Conflict(
        `${fieldPrefix}jobStatus`,
        `cannot ${action} a job that is ${job.status} (allowed from ${allowed.join(', ')})`,
      );
    }
  }

  /**
   * Runs `work` while holding the job for `operation` (compare-and-set on version). The patch
   * `work` returns is written when the job is released; on failure the job is released as is.
   * The release and the read after it ride out a registry outage (RegistryRetry): what `work`
   * did on a runtime is recorded and answered, not left held behind a 503.
   */
  async hold(
    job: JobEntity,
    operation: JobOperation,
    work: () => Promise<JobPatch>,
    fieldPrefix = '',
  ): Promise<JobEntity> {
    if (!(await this.jobs.claim(job.id, operation, job.version))) {
      throw new Conflict(`${fieldPrefix}jobId`, IN_PROGRESS_REASON);
    }
    let patch: JobPatch;
    try {
      patch = await work();
    } catch (err) {
      await this.retry.run(`${operation} of job ${job.id}`, () =>
        this.jobs.release(job.id, operation, { updatedAt: this.clock.now() }),
      );
      throw err;
    }
    await this.retry.run(`${operation} of job ${job.id}`, () =>
      this.jobs.release(job.id, operation, { ...patch, updatedAt: this.clock.now() }),
    );
    return this.reload(job.id);
  }

  /**
   * Tells services (`ruleshift.events`) what happened to the job; `job` is as the registry
   * committed it, so call this after the release.
   */
  async announce(
    job: JobEntity,
    event: JobEventName,
    detail: Pick<JobEvent, 'from' | 'operation' | 'reason'> = {},
  ): Promise<void> {
    await this.events.publish({
      kind: 'job',
      event,
      eventId: randomUUID(),
      jobId: job.id,
      jobType: job.jobType,
      status: job.status,
      runtime: job.runtime,
      targetResource: job.targetResource,
      at: this.clock.now().toISOString(),
      ...detail,
    });
  }

  /**
   * Announces a failure: of an operation (`install`, `start`, ...) that left the job as it was,
   * or, without `operation`, of the rule itself as its runtime reported it (job now FAILED).
   */
  async announceFailure(
    jobId: string,
    operation: string | undefined,
    error: unknown,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    try {
      const job = await this.jobs.findById(jobId);
      if (job) await this.announce(job, 'failed', operation ? { operation, reason } : { reason });
    } catch (lookupError) {
      // Reporting a failure must not replace it with the registry's own.
      this.logger.error(`failed event of job ${jobId} lost: ${String(lookupError)}`);
    }
  }

  /** Reads a job after an operation took effect, through a registry outage. */
  reload(jobId: string): Promise<JobEntity> {
    return this.retry.run(`job ${jobId}`, () => this.load(jobId));
  }

  /** Appends to the job's history, through a registry outage. */
  async recordStatus(
    job: Pick<JobEntity, 'id' | 'runtime' | 'targetResource'>,
    status: JobStatus,
    reason?: string,
  ): Promise<void> {
    await this.retry.run(`history of job ${job.id}`, () => this.appendHistory(job, status, reason));
  }

  private async appendHistory(
    job: Pick<JobEntity, 'id' | 'runtime' | 'targetResource'>,
    status: JobStatus,
    reason?: string,
  ): Promise<void> {
    await this.jobs.appendHistory({
      jobId: job.id,
      status,
      runtime: job.runtime,
      targetResource: job.targetResource,
      reason: reason ?? null,
      at: this.clock.now(),
    });
  }
}

export function toDriverJob(
  job: JobEntity,
  placement: Pick<DriverJob, 'runtime' | 'targetResource'> = job,
): DriverJob {
  return {
    jobId: job.id,
    jobType: job.jobType,
    templateVersion: job.templateVersion,
    runtime: placement.runtime,
    targetResource: placement.targetResource,
  };
}
