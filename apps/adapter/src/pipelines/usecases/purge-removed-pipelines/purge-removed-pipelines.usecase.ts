import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock';
import { PipelineRepository } from '../../persistence/pipeline.repository';

/** At most this many pipelines per round, so one sweep never holds the database for long. */
export const PIPELINE_PURGE_BATCH = 500;

/**
 * Deletes the rows of pipelines uninstalled (or whose create was rolled back) longer ago than
 * the retention, the same window as their stages' jobs, so the registry stays bounded by what is
 * installed plus recent history.
 */
@Injectable()
export class PurgeRemovedPipelinesUseCase {
  constructor(
    @Inject(PipelineRepository) private readonly pipelines: PipelineRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: { retentionMs: number }): Promise<string[]> {
    const cutoff = new Date(this.clock.now().getTime() - request.retentionMs);
    return this.pipelines.purgeRemovedBefore(cutoff, PIPELINE_PURGE_BATCH);
  }
}
