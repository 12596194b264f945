import { Inject, Injectable } from '@nestjs/common';
import {
  DEAD_LETTER_LIST_DEFAULT_LIMIT,
  DEAD_LETTER_LIST_MAX_LIMIT,
  ValidationFailed,
  type DeadLetterListRequest,
  type DeadLetterReport,
} from '@ruleshift/contracts';
import { DeadLetterDrops } from '../../dead-letter-drops';
import { reasonOf, toDeadLetterMessage } from '../../dead-letter-mapper';
import { DeadLetterQueues } from '../../dead-letter-queues';
import { JobAccess } from '../../job-access';

/** A rule's dead letters: how many wait, by reason, and the most recent ones (newest first). */
@Injectable()
export class ListDeadLettersUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DeadLetterQueues) private readonly queues: DeadLetterQueues,
    @Inject(DeadLetterDrops) private readonly drops: DeadLetterDrops,
  ) {}

  async execute(request: DeadLetterListRequest): Promise<DeadLetterReport> {
    const limit = request.limit ?? DEAD_LETTER_LIST_DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 0 || limit > DEAD_LETTER_LIST_MAX_LIMIT) {
      throw new ValidationFailed([
        { field: 'limit', reason: `must be an integer from 0 to ${DEAD_LETTER_LIST_MAX_LIMIT}` },
      ]);
    }
    const job = await this.access.load(request.jobId);
    // An uninstalled rule's queues are gone with it.
    const letters = job.status === 'UNINSTALLED' ? [] : await this.queues.list(job.config);
    const byReason: Record<string, number> = {};
    for (const letter of letters) {
      const reason = reasonOf(letter);
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
    return {
      jobId: job.id,
      total: letters.length,
      byReason,
      overflowed: this.drops.dropped(job.id),
      messages: letters
        .slice(Math.max(0, letters.length - limit))
        .reverse()
        .map(toDeadLetterMessage),
    };
  }
}
