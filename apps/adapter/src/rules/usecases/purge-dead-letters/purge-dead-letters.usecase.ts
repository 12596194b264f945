import { Inject, Injectable } from '@nestjs/common';
import { Conflict } from '@ruleshift/contracts';
import { DeadLetterQueues } from '../../dead-letter-queues';
import { JobAccess } from '../../job-access';

/** Drops every dead letter a rule has waiting. */
@Injectable()
export class PurgeDeadLettersUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DeadLetterQueues) private readonly queues: DeadLetterQueues,
  ) {}

  async execute(request: { jobId: string }): Promise<{ purged: number }> {
    const job = await this.access.load(request.jobId);
    if (job.status === 'UNINSTALLED') {
      throw new Conflict('jobStatus', 'an uninstalled job has no dead letters to purge');
    }
    return { purged: await this.queues.purge(job.config) };
  }
}
