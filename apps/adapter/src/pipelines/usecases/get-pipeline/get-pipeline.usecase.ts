import { Inject, Injectable } from '@nestjs/common';
import type { PipelineDetails } from '@ruleshift/contracts';
import { GetJobUseCase } from '../../../rules/usecases/get-job/get-job.usecase';
import { PipelineAccess } from '../../pipeline-access';

/** One pipeline with each stage's job as `GET /api/jobs/{id}` shows it (placement, metrics). */
@Injectable()
export class GetPipelineUseCase {
  constructor(
    @Inject(PipelineAccess) private readonly access: PipelineAccess,
    @Inject(GetJobUseCase) private readonly getJob: GetJobUseCase,
  ) {}

  async execute(request: { pipeline: string }): Promise<PipelineDetails> {
    const pipeline = await this.access.load(request.pipeline);
    const info = await this.access.info(pipeline);
    const stages = await Promise.all(
      info.stages.map(async (stage) => ({
        ...stage,
        job: await this.getJob.execute({ jobId: stage.jobInfo.jobId }),
      })),
    );
    return {
      ...info,
      stages,
      exchanges: pipeline.exchanges,
      createdAt: new Date(pipeline.createdAt).toISOString(),
      updatedAt: new Date(pipeline.updatedAt).toISOString(),
      ...(pipeline.operation ? { pendingOperation: pipeline.operation } : {}),
    };
  }
}
