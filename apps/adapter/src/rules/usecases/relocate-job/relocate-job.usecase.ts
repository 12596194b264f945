import { Inject, Injectable } from '@nestjs/common';
import type { JobInfo, JobStatus, RelocationObject } from '@ruleshift/contracts';
import { PlacementPause } from '../../../placement/placement-pause';
import { JobAccess } from '../../job-access';
import { toJobInfo } from '../../job-mapper';
import { MoveStarter } from '../../move/move-starter';

const MOVABLE: readonly JobStatus[] = ['INSTALLED', 'RUNNING', 'STOPPED'];

/**
 * `/api/move`: relocates a rule with the same RuleConfig, keeping its status. An operator's
 * move pauses the rule's placement policy for its cooldown, so the policy does not undo it.
 */
@Injectable()
export class RelocateJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(MoveStarter) private readonly starter: MoveStarter,
    @Inject(PlacementPause) private readonly pause: PlacementPause,
  ) {}

  async execute(request: RelocationObject): Promise<JobInfo> {
    const job = await this.access.loadFor(request.jobInfo, 'jobInfo.');
    this.access.requireStatus(job, MOVABLE, 'move', 'jobInfo.');
    const to = { runtime: request.target_runtime, targetResource: request.targetResource };
    await this.starter.run(job, to, { dropState: request.dropState, fieldPrefix: 'jobInfo.' });
    await this.pause.afterOperatorMove(job.id);
    return toJobInfo(await this.access.reload(job.id));
  }
}
