import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock';
import { JobRepository } from '../../../registry/job.repository';

/** At most this many jobs per round, so one sweep never holds the database for long. */
export const PURGE_BATCH = 500;

/**
 * Deletes UNINSTALLED jobs (with their history and moves) once they have been uninstalled for
 * longer than the retention, so the registry stays bounded by what is installed plus a window
 * of recent history.
 */
@Injectable()
export class PurgeUninstalledJobsUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: { retentionMs: number }): Promise<string[]> {
    const cutoff = new Date(this.clock.now().getTime() - request.retentionMs);
    return this.jobs.purgeUninstalledBefore(cutoff, PURGE_BATCH);
  }
}
