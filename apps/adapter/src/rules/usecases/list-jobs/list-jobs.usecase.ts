import { Inject, Injectable } from '@nestjs/common';
import type { JobListRequest, JobPage } from '@ruleshift/contracts';
import { encodeCursor, pageRequest } from '../../../registry/job-page';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { metricsFor } from '../../job-metrics';
import { toJobDetails } from '../../job-mapper';

/** One page of jobs with their details, oldest first; the cursor resumes after the last one. */
@Injectable()
export class ListJobsUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
  ) {}

  async execute(request: JobListRequest = {}): Promise<JobPage> {
    const page = await this.jobs.page(pageRequest(request));
    const items = await Promise.all(
      page.items.map(async (job) => {
        const [history, runtime, move] = await Promise.all([
          this.jobs.history(job.id),
          this.runtimes.find(job.runtime, job.targetResource),
          job.operation === 'move' ? this.moves.findInProgressForJob(job.id) : null,
        ]);
        return toJobDetails(job, history, metricsFor(runtime, job.id), move);
      }),
    );
    return page.next ? { items, nextCursor: encodeCursor(page.next) } : { items };
  }
}
