import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Conflict,
  ValidationFailed,
  type PipelineInfo,
  type PipelineObject,
  type UninstallRequest,
} from '@ruleshift/contracts';
import { TEMPLATE_CATALOG } from '../../../shared/tokens';
import type { TemplateCatalogPort } from '../../../shared/template-catalog-port';
import { Clock } from '../../../shared/clock';
import { InstallationCheck } from '../../../rules/installation-check';
import { InstallJobUseCase } from '../../../rules/usecases/install-job/install-job.usecase';
import { UninstallJobUseCase } from '../../../rules/usecases/uninstall-job/uninstall-job.usecase';
import type { PipelineEntity, PipelineStageRow } from '../../persistence/pipeline.entity';
import { PipelineRepository, type PipelinePatch } from '../../persistence/pipeline.repository';
import { PipelineAccess } from '../../pipeline-access';
import { pipelineGraphErrors } from '../../pipeline-graph';
import { PipelineTopology } from '../../pipeline-topology';
import { wirePipeline, type WiredStage } from '../../pipeline-wiring';
import { stageError } from '../../stage-error';

/**
 * `POST /api/pipelines`: checks the whole graph and every stage, then installs the stages
 * upstream first, each an ordinary job. All or none: when a stage fails, the stages installed
 * before it are uninstalled (their queues deleted), the exchanges between stages removed, and
 * the error names the stage and why.
 */
@Injectable()
export class CreatePipelineUseCase {
  private readonly logger = new Logger(CreatePipelineUseCase.name);

  constructor(
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(InstallationCheck) private readonly check: InstallationCheck,
    @Inject(InstallJobUseCase) private readonly install: InstallJobUseCase,
    @Inject(UninstallJobUseCase) private readonly uninstall: UninstallJobUseCase,
    @Inject(PipelineRepository) private readonly pipelines: PipelineRepository,
    @Inject(PipelineAccess) private readonly access: PipelineAccess,
    @Inject(PipelineTopology) private readonly topology: PipelineTopology,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: PipelineObject): Promise<PipelineInfo> {
    const graphErrors = pipelineGraphErrors(request, (jobType) => this.inputsOf(jobType));
    if (graphErrors.length > 0) throw new ValidationFailed(graphErrors);
    const wired = wirePipeline(request);
    for (const { installation, index, stage } of wired.stages) {
      await this.check.check(installation).catch((error: unknown) => {
        throw stageError(error, index, stage.name);
      });
    }

    const now = this.clock.now();
    const pipeline: PipelineEntity = {
      id: randomUUID(),
      name: request.name,
      definition: request,
      stages: request.stages.map((s) => ({ name: s.name, from: s.from ?? [], jobId: null })),
      exchanges: wired.exchanges,
      operation: 'create',
      operationOwner: null,
      failureReason: null,
      removedAt: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.pipelines.insert(pipeline))) {
      throw new Conflict('name', `a pipeline named ${request.name} exists already`);
    }

    const rows = pipeline.stages;
    for (const wiredStage of wired.stages) {
      try {
        const jobInfo = await this.install.execute(wiredStage.installation);
        rows[wiredStage.index] = { ...rows[wiredStage.index], jobId: jobInfo.jobId };
        await this.pipelines.updateHeld(pipeline.id, 'create', { stages: rows });
      } catch (error) {
        throw await this.rollBack(pipeline, rows, wiredStage, error);
      }
    }
    const installed = await this.access.eventOf({ ...pipeline, stages: rows }, 'installed');
    await this.pipelines.release(
      pipeline.id,
      'create',
      { stages: rows, updatedAt: this.clock.now() },
      [installed],
    );
    await this.access.publishCommitted();
    return this.access.info(await this.access.load(pipeline.id));
  }

  private inputsOf(jobType: string): number | undefined {
    try {
      return this.catalog.get(jobType).inputs;
    } catch {
      // Unknown templates are reported by the stage's own check, with its field.
      return undefined;
    }
  }

  /** Uninstalls what was installed, downstream first, and returns the error to answer. */
  private async rollBack(
    pipeline: PipelineEntity,
    rows: PipelineStageRow[],
    failed: WiredStage,
    cause: unknown,
  ): Promise<Error> {
    const error = stageError(cause, failed.index, failed.stage.name);
    const installed = rows.filter((r) => r.jobId !== null).reverse();
    try {
      for (const row of installed) {
        const stage = (await this.access.stagesOf({ ...pipeline, stages: [row] }))[0];
        if (!stage) continue;
        const request: UninstallRequest = {
          runtime: stage.job.runtime,
          jobId: stage.job.id,
          jobType: stage.job.jobType,
          jobStatus: stage.job.status,
          configFileName: stage.job.configFileName,
        };
        await this.uninstall.execute(request);
      }
      await this.topology.removeExchanges(pipeline.exchanges);
    } catch (cleanupError) {
      // What could not be removed stays on record: uninstalling the pipeline retries it.
      this.logger.error(`rollback of pipeline ${pipeline.name}: ${String(cleanupError)}`);
      await this.releaseFailed(
        pipeline,
        { stages: rows, failureReason: error.message },
        failed,
        error,
      );
      return error;
    }
    await this.releaseFailed(
      pipeline,
      { stages: rows, failureReason: error.message, removedAt: this.clock.now() },
      failed,
      error,
    );
    return error;
  }

  /** Releases the pipeline after a failed create, with its `failed` event. */
  private async releaseFailed(
    pipeline: PipelineEntity,
    patch: PipelinePatch,
    failed: WiredStage,
    error: Error,
  ): Promise<void> {
    const event = await this.access.eventOf({ ...pipeline, ...patch }, 'failed', {
      operation: 'create',
      stage: failed.stage.name,
      reason: error.message,
    });
    await this.pipelines.release(pipeline.id, 'create', { ...patch, updatedAt: this.clock.now() }, [
      event,
    ]);
    await this.access.publishCommitted();
  }
}
