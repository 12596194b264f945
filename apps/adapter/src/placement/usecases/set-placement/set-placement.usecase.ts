import { Inject, Injectable } from '@nestjs/common';
import { Conflict, type PlacementPolicy, type SetPlacementRequest } from '@ruleshift/contracts';
import { JobAccess } from '../../../rules/job-access';
import { Clock } from '../../../shared/clock';
import { PlacementRepository } from '../../persistence/placement.repository';
import { PlacementCheck } from '../../placement-check';

/** `PUT /api/jobs/{jobId}/placement`: replaces a rule's placement policy. */
@Injectable()
export class SetPlacementUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(PlacementCheck) private readonly check: PlacementCheck,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: SetPlacementRequest): Promise<PlacementPolicy> {
    const job = await this.access.load(request.jobId);
    const policy = this.check.check(request.placement, '', job);
    if (job.status === 'UNINSTALLED') {
      throw new Conflict('jobId', `job ${job.id} is UNINSTALLED`);
    }
    await this.placements.save(job.id, policy, this.clock.now());
    return policy;
  }
}
