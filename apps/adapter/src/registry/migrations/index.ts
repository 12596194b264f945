import { FlinkDeployments1767312000000 } from '../../drivers/flink/persistence/1767312000000-flink-deployments';
import { FlinkConfirmedSavepoint1768290000000 } from '../../drivers/flink/persistence/1768290000000-flink-confirmed-savepoint';
import { ApiAccess1767400000000 } from '../../access/persistence';
import { AgentEnrolment1767500000000 } from '../../agents/persistence';

import { Pipelines1767600000000 } from '../../pipelines/persistence';
import { Placement1767700000000, PlacementSamples1768200000000 } from '../../placement/persistence';
import { EventOutbox1767800000000 } from '../../events/outbox/1767800000000-event-outbox';
import { InitialRegistry1767225600000 } from './1767225600000-initial-registry';
import { AdapterLeadership1767398400000 } from './1767398400000-adapter-leadership';

export const REGISTRY_MIGRATIONS = [
  InitialRegistry1767225600000,
  FlinkDeployments1767312000000,
  AdapterLeadership1767398400000,
  ApiAccess1767400000000,
  AgentEnrolment1767500000000,

  Pipelines1767600000000,
  Placement1767700000000,
  EventOutbox1767800000000,
  PlacementSamples1768200000000,
  FlinkConfirmedSavepoint1768290000000,
];
