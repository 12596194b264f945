import { Inject, Injectable } from '@nestjs/common';
import { Conflict, ValidationFailed, type DeadLetterReplayRequest } from '@ruleshift/contracts';
import { DeadLetterQueues } from '../../dead-letter-queues';
import { JobAccess } from '../../job-access';

/** Sends the oldest dead letters back to the rule's input, in order, without losing one. */
@Injectable()
export class ReplayDeadLettersUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DeadLetterQueues) private readonly queues: DeadLetterQueues,
  ) {}

  async execute(request: DeadLetterReplayRequest): Promise<{ replayed: number }> {
    const { count } = request;
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 1)) {
      throw new ValidationFailed([{ field: 'count', reason: 'must be a positive integer' }]);
    }
    const job = await this.access.load(request.jobId);
    if (job.status === 'UNINSTALLED') {
      throw new Conflict('jobStatus', 'an uninstalled job has no dead letters to replay');
    }
    return { replayed: await this.queues.replay(job.config, count) };
  }
}
