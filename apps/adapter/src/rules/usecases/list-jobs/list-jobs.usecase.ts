import { Inject, Injectable } from '@nestjs/common';
import type { JobDetails } from '@ruleshift/contracts';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { metricsFor } from '../../job-metrics';
import { toJobDetails } from '../../job-mapper';

@Injectable()
export class ListJobsUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
  ) {}

  async execute(_request: Record<string, never> = {}): Promise<JobDetails[]> {
    const [jobs, runtimes, moves] = await Promise.all([
      this.jobs.list(),
      this.runtimes.list(),
      this.moves.listInProgress(),
    ]);
    const runtimeOf = new Map(runtimes.map((r) => [`${r.kind}/${r.targetResource}`, r]));
    const moveOf = new Map(moves.map((m) => [m.jobId, m]));
    return Promise.all(
      jobs.map(async (job) =>
        toJobDetails(
          job,
          await this.jobs.history(job.id),
          metricsFor(runtimeOf.get(`${job.runtime}/${job.targetResource}`), job.id),
          moveOf.get(job.id) ?? null,
        ),
      ),
    );
  }
}
