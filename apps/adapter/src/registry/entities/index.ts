import { JobStatusHistoryEntity } from './job-status-history.entity';
import { JobEntity } from './job.entity';
import { MoveOperationEntity } from './move-operation.entity';
import { RuntimeEntity } from './runtime.entity';
import { TemplateEntity } from './template.entity';

export * from './job.entity';
export * from './job-status-history.entity';
export * from './runtime.entity';
export * from './template.entity';
export * from './move-operation.entity';

export const REGISTRY_ENTITIES = [
  JobEntity,
  JobStatusHistoryEntity,
  RuntimeEntity,
  TemplateEntity,
  MoveOperationEntity,
];
