import { Inject, Injectable } from '@nestjs/common';
import type { JobListRequest, JobPage } from '@ruleshift/contracts';
import { encodeCursor, pageRequest } from '../../../registry/job-page';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { RuntimeFigures } from '../../../runtimes/runtime-figures';
import { toJobDetails } from '../../job-mapper';

/** One page of jobs with their details, oldest first; the cursor resumes after the last one. */
@Injectable()
export class ListJobsUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
  ) {}

  async execute(request: JobListRequest = {}): Promise<JobPage> {
    const page = await this.jobs.page(pageRequest(request));
    const items = await Promise.all(
      page.items.map(async (job) => {
        const [history, move] = await Promise.all([
          this.jobs.history(job.id),
          job.operation === 'move' ? this.moves.findInProgressForJob(job.id) : null,
        ]);
        return toJobDetails(
          job,
          history,
          this.figures.ruleMetrics(job.runtime, job.targetResource, job.id),
          move,
        );
      }),
    );
    return page.next ? { items, nextCursor: encodeCursor(page.next) } : { items };
  }
}
