import { FlinkDeployments1767312000000 } from '../../drivers/flink/persistence/1767312000000-flink-deployments';
import { ApiAccess1767400000000 } from '../../access/persistence';
import { InitialRegistry1767225600000 } from './1767225600000-initial-registry';

export const REGISTRY_MIGRATIONS = [
  InitialRegistry1767225600000,
  FlinkDeployments1767312000000,
  ApiAccess1767400000000,
];
