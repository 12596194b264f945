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
import { EventPublisher } from '../events/event-publisher';
import type { JobEntity } from '../registry/entities/job.entity';
import { JobRepository } from '../registry/job.repository';
import { toJobInfo } from '../rules/job-mapper';
import { Clock } from '../shared/clock';
import type { PipelineEntity, PipelineOperation } from './persistence/pipeline.entity';
import { PipelineRepository, type PipelinePatch } from './persistence/pipeline.repository';
import { pipelineStatusOf } from './pipeline-status';

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
    @Inject(EventPublisher) private readonly events: EventPublisher,
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
   * release. Operations on one pipeline never overlap (409 for the second).
   */
  async hold(
    pipeline: PipelineEntity,
    operation: PipelineOperation,
    work: () => Promise<PipelinePatch>,
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
      await this.pipelines.release(pipeline.id, operation, { updatedAt: this.clock.now() });
      throw error;
    }
    await this.pipelines.release(pipeline.id, operation, { ...patch, updatedAt: this.clock.now() });
    return this.load(pipeline.id);
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

  async announce(
    pipeline: PipelineEntity,
    event: PipelineEventName,
    detail: Pick<PipelineEvent, 'operation' | 'stage' | 'reason'> = {},
  ): Promise<PipelineInfo> {
    const info = await this.info(pipeline);
    await this.events.publish({
      kind: 'pipeline',
      event,
      eventId: randomUUID(),
      pipelineId: pipeline.id,
      name: pipeline.name,
      status: info.status,
      at: this.clock.now().toISOString(),
      ...detail,
    });
    return info;
  }
}

export const jobInfoOf = (stage: LoadedStage): JobInfo => toJobInfo(stage.job);

export const hasStatus = (stage: LoadedStage, statuses: readonly JobStatus[]): boolean =>
  statuses.includes(stage.job.status);

/** Where the stage sits in the pipeline as created (for `stages[i]` in errors). */
export const stageIndex = (pipeline: PipelineEntity, stage: { name: string }): number =>
  pipeline.stages.findIndex((s) => s.name === stage.name);
