import { Inject, Injectable } from '@nestjs/common';
import type { JobDetails } from '@ruleshift/contracts';
import { JobRepository } from '../../../registry/job.repository';
import { toPlacementDecision } from '../../../placement/decision-mapper';
import { PlacementRepository } from '../../../placement/persistence/placement.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { RuntimeFigures } from '../../../runtimes/runtime-figures';
import { DeadLetterDrops } from '../../dead-letter-drops';
import { JobAccess } from '../../job-access';
import { toJobDetails } from '../../job-mapper';

/** The placement service's decisions shown with a job (all of them: GET /api/placement/decisions). */
const RECENT_DECISIONS = 10;

@Injectable()
export class GetJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
    @Inject(DeadLetterDrops) private readonly drops: DeadLetterDrops,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
  ) {}

  async execute(request: { jobId: string }): Promise<JobDetails> {
    const job = await this.access.load(request.jobId);
    const [history, move, placement, decisions] = await Promise.all([
      this.jobs.history(job.id),
      this.moves.findInProgressForJob(job.id),
      this.placements.find(job.id),
      this.placements.page({ jobId: job.id, limit: RECENT_DECISIONS }),
    ]);
    const details: JobDetails = {
      ...toJobDetails(
        job,
        history,
        this.figures.ruleMetrics(job.runtime, job.targetResource, job.id),
        move,
      ),
      placement: placement?.policy ?? { mode: 'manual' },
      ...(decisions.length ? { placementDecisions: decisions.map(toPlacementDecision) } : {}),
      ...(placement?.pausedUntil
        ? { placementPausedUntil: new Date(placement.pausedUntil).toISOString() }
        : {}),
    };
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
