import { JobPlacementEntity } from './job-placement.entity';
import { PlacementDecisionEntity } from './placement-decision.entity';

export { Placement1767700000000 } from './1767700000000-placement';
export { PlacementSamples1768200000000 } from './1768200000000-placement-samples';
export * from './job-placement.entity';
export * from './placement-decision.entity';
export * from './placement.repository';

export const PLACEMENT_ENTITIES = [JobPlacementEntity, PlacementDecisionEntity];
