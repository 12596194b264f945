import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Conflict,
  NotFound,
  type JobInfo,
  type JobStatus,
  type PipelineEvent,
  type PipelineEventName,
  type PipelineInfo,
} from '@ruleshift/contracts';
import { EventRelay } from '../events/outbox/event-relay';
import type { JobEntity } from '../registry/entities/job.entity';
import { JobRepository } from '../registry/job.repository';
import { toJobInfo } from '../rules/job-mapper';
import { Clock } from '../shared/clock';
import type { PipelineEntity, PipelineOperation } from './persistence/pipeline.entity';
import { PipelineRepository, type PipelinePatch } from './persistence/pipeline.repository';
import { pipelineStatusOf } from './pipeline-status';

/** What a `failed` pipeline event says: the operation, the stage when one failed, and why. */
export type PipelineFailure = Required<Pick<PipelineEvent, 'operation' | 'reason'>> &
  Pick<PipelineEvent, 'stage'>;

export const PIPELINE_IN_PROGRESS = 'another operation on this pipeline is in progress';

/** A stage with its job as the registry has it now. */
export interface LoadedStage {
  name: string;
  from: string[];
  job: JobEntity;
}

/**
 * Loading, holding and reporting pipelines: what every pipeline use case shares, as JobAccess
 * is for jobs. A pipeline is named by its id or, while it is not removed, by its name.
 */
@Injectable()
export class PipelineAccess {
  constructor(
    @Inject(PipelineRepository) private readonly pipelines: PipelineRepository,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(EventRelay) private readonly relay: EventRelay,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async load(idOrName: string): Promise<PipelineEntity> {
    const found =
      typeof idOrName === 'string'
        ? ((await this.pipelines.findById(idOrName)) ??
          (await this.pipelines.findLiveByName(idOrName)))
        : null;
    if (!found) {
      throw new NotFound(
        'pipeline',
        `no pipeline with id or name ${String(idOrName).slice(0, 100)}`,
      );
    }
    return found;
  }

  /** The stages whose job exists, in the request's order. */
  async stagesOf(pipeline: PipelineEntity): Promise<LoadedStage[]> {
    const stages: LoadedStage[] = [];
    for (const stage of pipeline.stages) {
      const job = stage.jobId ? await this.jobs.findById(stage.jobId) : null;
      if (job) stages.push({ name: stage.name, from: stage.from, job });
    }
    return stages;
  }

  /**
   * Runs `work` while holding the pipeline for `operation`; the patch it returns is written on
   * release, with the `announce.event` for services in the same transaction. On failure the
   * pipeline is released as it was, with a `failed` event when `announce.failure` describes the
   * error (undefined: the operation failed before touching anything, no event). The events are
   * published before this returns or throws (or later by the relay when the broker refuses).
   * Operations on one pipeline never overlap (409 for the second).
   */
  async hold(
    pipeline: PipelineEntity,
    operation: PipelineOperation,
    work: () => Promise<PipelinePatch>,
    announce: {
      event: PipelineEventName;
      failure: (error: unknown) => PipelineFailure | undefined;
    },
  ): Promise<PipelineEntity> {
    if (pipeline.removedAt !== null) {
      throw new Conflict('pipeline', `pipeline ${pipeline.name} is uninstalled`);
    }
    if (!(await this.pipelines.claim(pipeline.id, operation, pipeline.version))) {
      throw new Conflict('pipeline', PIPELINE_IN_PROGRESS);
    }
    let patch: PipelinePatch;
    try {
      patch = await work();
    } catch (error) {
      const failure = announce.failure(error);
      const events = failure ? [await this.eventOf(pipeline, 'failed', failure)] : [];
      await this.pipelines.release(pipeline.id, operation, { updatedAt: this.clock.now() }, events);
      await this.publishCommitted();
      throw error;
    }
    const done = await this.eventOf({ ...pipeline, ...patch }, announce.event);
    await this.pipelines.release(
      pipeline.id,
      operation,
      { ...patch, updatedAt: this.clock.now() },
      [done],
    );
    await this.publishCommitted();
    return this.load(pipeline.id);
  }

  /**
   * The event for services about `pipeline` as the release carrying it leaves it (its status
   * derived from its stages as the registry has them now).
   */
  async eventOf(
    pipeline: PipelineEntity,
    event: PipelineEventName,
    detail: PipelineFailure | Record<string, never> = {},
  ): Promise<PipelineEvent> {
    const info = await this.info(pipeline);
    return {
      kind: 'pipeline',
      event,
      eventId: randomUUID(),
      pipelineId: pipeline.id,
      name: pipeline.name,
      status: info.status,
      at: this.clock.now().toISOString(),
      ...detail,
    };
  }

  /** Publishes the events committed so far (see JobAccess.publishCommitted). */
  publishCommitted(): Promise<void> {
    return this.relay.flush();
  }

  async info(pipeline: PipelineEntity): Promise<PipelineInfo> {
    const stages = await this.stagesOf(pipeline);
    return {
      pipelineId: pipeline.id,
      name: pipeline.name,
      status: pipeline.removedAt
        ? 'UNINSTALLED'
        : pipelineStatusOf(stages.map((s) => s.job.status)),
      stages: stages.map((s) => ({ name: s.name, from: s.from, jobInfo: toJobInfo(s.job) })),
    };
  }
}

export const jobInfoOf = (stage: LoadedStage): JobInfo => toJobInfo(stage.job);

export const hasStatus = (stage: LoadedStage, statuses: readonly JobStatus[]): boolean =>
  statuses.includes(stage.job.status);

/** Where the stage sits in the pipeline as created (for `stages[i]` in errors). */
export const stageIndex = (pipeline: PipelineEntity, stage: { name: string }): number =>
  pipeline.stages.findIndex((s) => s.name === stage.name);
