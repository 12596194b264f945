import { Inject, Injectable } from '@nestjs/common';
import type { PipelineInfo } from '@ruleshift/contracts';
import { PipelineRepository } from '../../persistence/pipeline.repository';
import { PipelineAccess } from '../../pipeline-access';

/** Pipelines not uninstalled, oldest first, with their stages' jobInfo and derived status. */
@Injectable()
export class ListPipelinesUseCase {
  constructor(
    @Inject(PipelineRepository) private readonly pipelines: PipelineRepository,
    @Inject(PipelineAccess) private readonly access: PipelineAccess,
  ) {}

  async execute(): Promise<PipelineInfo[]> {
    const live = await this.pipelines.listLive();
    return Promise.all(live.map((p) => this.access.info(p)));
  }
}
