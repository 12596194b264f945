import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JobStatus, PipelineInfo } from '@ruleshift/contracts';
import { StartJobUseCase } from '../../../rules/usecases/start-job/start-job.usecase';
import { StopJobUseCase } from '../../../rules/usecases/stop-job/stop-job.usecase';
import {
  PipelineAccess,
  hasStatus,
  jobInfoOf,
  stageIndex,
  type LoadedStage,
} from '../../pipeline-access';
import { upstreamFirst } from '../../pipeline-graph';
import { stageError } from '../../stage-error';

const STARTABLE: readonly JobStatus[] = ['INSTALLED', 'STOPPED', 'FAILED'];

/**
 * Starts the stages downstream first, so that every stage's readers consume before it
 * produces. Stages already RUNNING are left as they are. When a stage fails to start, the
 * stages this call started are stopped again (upstream first) and the error names the stage.
 */
@Injectable()
export class StartPipelineUseCase {
  private readonly logger = new Logger(StartPipelineUseCase.name);

  constructor(
    @Inject(PipelineAccess) private readonly access: PipelineAccess,
    @Inject(StartJobUseCase) private readonly start: StartJobUseCase,
    @Inject(StopJobUseCase) private readonly stop: StopJobUseCase,
  ) {}

  async execute(request: { pipeline: string }): Promise<PipelineInfo> {
    const pipeline = await this.access.load(request.pipeline);
    let failedStage: string | undefined;
    const started = await this.access.hold(
      pipeline,
      'start',
      async () => {
        const stages = upstreamFirst(await this.access.stagesOf(pipeline)).reverse();
        const startedHere: LoadedStage[] = [];
        for (const stage of stages) {
          if (!hasStatus(stage, STARTABLE)) continue;
          try {
            await this.start.execute(jobInfoOf(stage));
            startedHere.push(stage);
          } catch (error) {
            failedStage = stage.name;
            await this.undo(startedHere);
            throw stageError(error, stageIndex(pipeline, stage), stage.name);
          }
        }
        return {};
      },
      {
        event: 'started',
        failure: (error) =>
          failedStage === undefined
            ? undefined
            : { operation: 'start', stage: failedStage, reason: (error as Error).message },
      },
    );
    return this.access.info(started);
  }

  /** Stops, upstream first, the stages this call started (they were started downstream first). */
  private async undo(startedHere: LoadedStage[]): Promise<void> {
    for (const stage of [...startedHere].reverse()) {
      await this.stop
        .execute({ ...jobInfoOf(stage), jobStatus: 'RUNNING' })
        .catch((error: unknown) =>
          this.logger.error(`could not stop stage ${stage.name} again: ${String(error)}`),
        );
    }
  }
}
