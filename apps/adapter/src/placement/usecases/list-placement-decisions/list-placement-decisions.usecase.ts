import { Inject, Injectable } from '@nestjs/common';
import {
  ValidationFailed,
  isJobId,
  type FieldError,
  type PlacementDecisionPage,
  type PlacementDecisionQuery,
} from '@ruleshift/contracts';
import { toPlacementDecision } from '../../decision-mapper';
import { PlacementRepository } from '../../persistence/placement.repository';

export const DEFAULT_DECISION_LIMIT = 50;
export const MAX_DECISION_LIMIT = 500;

/** `GET /api/placement/decisions`: the placement service's decisions, newest first. */
@Injectable()
export class ListPlacementDecisionsUseCase {
  constructor(@Inject(PlacementRepository) private readonly placements: PlacementRepository) {}

  async execute(query: PlacementDecisionQuery): Promise<PlacementDecisionPage> {
    const errors: FieldError[] = [];
    const limit = query.limit ?? DEFAULT_DECISION_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DECISION_LIMIT) {
      errors.push({ field: 'limit', reason: `must be an integer from 1 to ${MAX_DECISION_LIMIT}` });
    }
    if (query.jobId !== undefined && !isJobId(query.jobId)) {
      errors.push({ field: 'jobId', reason: 'must be a job id' });
    }
    if (query.before !== undefined && !/^[1-9]\d{0,17}$/.test(query.before)) {
      errors.push({ field: 'before', reason: 'must be a decision id' });
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
    const rows = await this.placements.page({ jobId: query.jobId, limit, before: query.before });
    const decisions = rows.map(toPlacementDecision);
    return {
      decisions,
      nextBefore: rows.length === limit ? (decisions[decisions.length - 1]?.id ?? null) : null,
    };
  }
}
