import { Inject, Injectable } from '@nestjs/common';
import { RuleshiftError, RuntimeUnavailable, type PipelineInfo } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { UninstallJobUseCase } from '../../../rules/usecases/uninstall-job/uninstall-job.usecase';
import { PipelineAccess, hasStatus, jobInfoOf, stageIndex } from '../../pipeline-access';
import { upstreamFirst } from '../../pipeline-graph';
import { PipelineTopology } from '../../pipeline-topology';
import { stageError } from '../../stage-error';

/**
 * Uninstalls every stage upstream first (so no stage publishes towards one already gone), each
 * with its input queues, then deletes the exchanges the pipeline created. A failure ends the
 * call with what is left on record; uninstalling again resumes.
 */
@Injectable()
export class UninstallPipelineUseCase {
  constructor(
    @Inject(PipelineAccess) private readonly access: PipelineAccess,
    @Inject(UninstallJobUseCase) private readonly uninstall: UninstallJobUseCase,
    @Inject(PipelineTopology) private readonly topology: PipelineTopology,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: { pipeline: string }): Promise<PipelineInfo> {
    const pipeline = await this.access.load(request.pipeline);
    let failedStage: string | undefined;
    let failedInside = false;
    const removed = await this.access.hold(
      pipeline,
      'uninstall',
      async () => {
        for (const stage of upstreamFirst(await this.access.stagesOf(pipeline))) {
          if (hasStatus(stage, ['UNINSTALLED'])) continue;
          await this.uninstall.execute(jobInfoOf(stage)).catch((error: unknown) => {
            failedStage = stage.name;
            failedInside = true;
            throw stageError(error, stageIndex(pipeline, stage), stage.name);
          });
        }
        await this.topology.removeExchanges(pipeline.exchanges).catch((error: unknown) => {
          failedInside = true;
          if (error instanceof RuleshiftError) throw error;
          throw new RuntimeUnavailable(
            'broker',
            `cannot delete the pipeline's exchanges: ${(error as Error).message}`,
          );
        });
        return { removedAt: this.clock.now() };
      },
      {
        event: 'uninstalled',
        failure: (error) =>
          failedInside
            ? {
                operation: 'uninstall',
                ...(failedStage !== undefined ? { stage: failedStage } : {}),
                reason: (error as Error).message,
              }
            : undefined,
      },
    );
    return this.access.info(removed);
  }
}
