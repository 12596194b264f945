import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Conflict,
  NotFound,
  isJobId,
  type JobEvent,
  type JobEventName,
  type RuleshiftEvent,
  type JobInfo,
  type JobStatus,
} from '@ruleshift/contracts';
import { EventRelay } from '../events/outbox/event-relay';
import { Clock } from '../shared/clock';
import type { JobEntity, JobOperation } from '../registry/entities/job.entity';
import { JobRepository, type HistoryEntry, type JobPatch } from '../registry/job.repository';
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
    @Inject(EventRelay) private readonly relay: EventRelay,
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
   * With `announce`, the release also writes the event for services (`announce` on success,
   * `failed` with the operation and reason on failure) in its transaction, and the event is
   * published before this returns or throws (or later by the relay, when the broker refuses).
   * The release and the read after it ride out a registry outage (RegistryRetry): what `work`
   * did on a runtime is recorded and answered, not left held behind a 503.
   */
  async hold(
    job: JobEntity,
    operation: JobOperation,
    work: () => Promise<JobPatch>,
    fieldPrefix = '',
    announce?: JobEventName,
  ): Promise<JobEntity> {
    if (!(await this.jobs.claim(job.id, operation, job.version))) {
      throw new Conflict(`${fieldPrefix}jobId`, IN_PROGRESS_REASON);
    }
    let patch: JobPatch;
    try {
      patch = await work();
    } catch (err) {
      const failed = announce
        ? [this.eventOf(job, 'failed', { operation, reason: messageOf(err) })]
        : [];
      await this.retry.run(`${operation} of job ${job.id}`, () =>
        this.jobs.release(job.id, operation, { updatedAt: this.clock.now() }, failed),
      );
      await this.publishCommitted();
      throw err;
    }
    const done = announce ? [this.eventOf({ ...job, ...patch }, announce)] : [];
    await this.retry.run(`${operation} of job ${job.id}`, () =>
      this.jobs.release(job.id, operation, { ...patch, updatedAt: this.clock.now() }, done),
    );
    await this.publishCommitted();
    return this.reload(job.id);
  }

  /**
   * The event for services (`ruleshift.events`) about `job` as the write that carries it
   * leaves it: pass it to that write (release, updateIdle), which puts it in the outbox.
   */
  eventOf(
    job: Pick<JobEntity, 'id' | 'jobType' | 'status' | 'runtime' | 'targetResource'>,
    event: JobEventName,
    detail: Pick<JobEvent, 'from' | 'operation' | 'reason'> = {},
  ): RuleshiftEvent {
    return {
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
    };
  }

  /**
   * Publishes the events committed so far (the outbox relay's round), so a service hears of a
   * transition before its caller does; a refusal leaves them to the relay's retries.
   */
  publishCommitted(): Promise<void> {
    return this.relay.flush();
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

  /** The history entry for `job` entering `status` now: pass it to the write (updateIdle). */
  historyOf(
    job: Pick<JobEntity, 'id' | 'runtime' | 'targetResource'>,
    status: JobStatus,
    reason?: string,
  ): HistoryEntry {
    return {
      jobId: job.id,
      status,
      runtime: job.runtime,
      targetResource: job.targetResource,
      reason: reason ?? null,
      at: this.clock.now(),
    };
  }

  private async appendHistory(
    job: Pick<JobEntity, 'id' | 'runtime' | 'targetResource'>,
    status: JobStatus,
    reason?: string,
  ): Promise<void> {
    await this.jobs.appendHistory(this.historyOf(job, status, reason));
  }
}

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

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
