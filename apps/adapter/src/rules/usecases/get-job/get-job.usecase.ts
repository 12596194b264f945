import { Inject, Injectable } from '@nestjs/common';
import type { JobDetails } from '@ruleshift/contracts';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { RuntimeFigures } from '../../../runtimes/runtime-figures';
import { DeadLetterDrops } from '../../dead-letter-drops';
import { JobAccess } from '../../job-access';
import { toJobDetails } from '../../job-mapper';

@Injectable()
export class GetJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
    @Inject(DeadLetterDrops) private readonly drops: DeadLetterDrops,
  ) {}

  async execute(request: { jobId: string }): Promise<JobDetails> {
    const job = await this.access.load(request.jobId);
    const [history, move] = await Promise.all([
      this.jobs.history(job.id),
      this.moves.findInProgressForJob(job.id),
    ]);
    const details = toJobDetails(
      job,
      history,
      this.figures.ruleMetrics(job.runtime, job.targetResource, job.id),
      move,
    );
    const bounds = job.config.deadLetterQueue;
    if (!bounds) return details;
    // After an adapter restart, counting starts with the first look at the job.
    await this.drops.watch(job.config).catch(() => undefined);
    return {
      ...details,
      deadLetterQueue: { maxLength: bounds.maxLength, dropped: this.drops.dropped(job.id) },
    };
  }
}
