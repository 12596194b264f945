import { Inject, Injectable } from '@nestjs/common';
import type { PipelineInfo } from '@ruleshift/contracts';
import { StopJobUseCase } from '../../../rules/usecases/stop-job/stop-job.usecase';
import { PipelineAccess, hasStatus, jobInfoOf, stageIndex } from '../../pipeline-access';
import { upstreamFirst } from '../../pipeline-graph';
import { stageError } from '../../stage-error';

/**
 * Stops the RUNNING stages upstream first, each settling (its acks, its outputs confirmed)
 * before the next: what a stage emitted waits in its readers' queues. A stage that fails to
 * stop ends the call (the stages after it keep running, the pipeline is PARTIAL); stopping
 * again resumes where it ended.
 */
@Injectable()
export class StopPipelineUseCase {
  constructor(
    @Inject(PipelineAccess) private readonly access: PipelineAccess,
    @Inject(StopJobUseCase) private readonly stop: StopJobUseCase,
  ) {}

  async execute(request: { pipeline: string }): Promise<PipelineInfo> {
    const pipeline = await this.access.load(request.pipeline);
    let failedStage: string | undefined;
    const stopped = await this.access.hold(
      pipeline,
      'stop',
      async () => {
        for (const stage of upstreamFirst(await this.access.stagesOf(pipeline))) {
          if (!hasStatus(stage, ['RUNNING'])) continue;
          await this.stop.execute(jobInfoOf(stage)).catch((error: unknown) => {
            failedStage = stage.name;
            throw stageError(error, stageIndex(pipeline, stage), stage.name);
          });
        }
        return {};
      },
      {
        event: 'stopped',
        failure: (error) =>
          failedStage === undefined
            ? undefined
            : { operation: 'stop', stage: failedStage, reason: (error as Error).message },
      },
    );
    return this.access.info(stopped);
  }
}
