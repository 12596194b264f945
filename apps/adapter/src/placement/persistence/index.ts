import { JobPlacementEntity } from './job-placement.entity';
import { PlacementDecisionEntity } from './placement-decision.entity';

export { Placement1767700000000 } from './1767700000000-placement';
export * from './job-placement.entity';
export * from './placement-decision.entity';
export * from './placement.repository';

export const PLACEMENT_ENTITIES = [JobPlacementEntity, PlacementDecisionEntity];
