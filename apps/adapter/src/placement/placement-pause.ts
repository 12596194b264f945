import { Inject, Injectable, Logger } from '@nestjs/common';
import { resolvePlacementPolicy } from '@ruleshift/contracts';
import { Clock } from '../shared/clock';
import { PlacementRepository } from './persistence/placement.repository';

/**
 * The policy never fights an operator: after an operator's move, a rule with an auto policy is
 * left alone for its cooldown (evacuation of a lost runtime excepted).
 */
@Injectable()
export class PlacementPause {
  private readonly logger = new Logger(PlacementPause.name);

  constructor(
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async afterOperatorMove(jobId: string): Promise<void> {
    try {
      const policy = resolvePlacementPolicy((await this.placements.find(jobId))?.policy);
      if (!policy) return;
      const until = new Date(this.clock.now().getTime() + policy.thresholds.cooldownMs);
      await this.placements.pause(jobId, until);
    } catch (error) {
      // The move happened and is answered; a lost pause only lets the policy look again sooner.
      this.logger.error(`placement pause of job ${jobId} not recorded: ${String(error)}`);
    }
  }
}
