import type { Provider } from '@nestjs/common';
import type { BrokerRegistry } from '@ruleshift/broker';
import type { DataSource } from 'typeorm';
import { OperationOwner } from '../registry/operation-owner';
import { BROKER_REGISTRY, REGISTRY_DATA_SOURCE } from '../shared/tokens';
import { PipelineRepository, TypeormPipelineRepository } from './persistence/pipeline.repository';
import { PipelineAccess } from './pipeline-access';
import { BrokerPipelineTopology, PipelineTopology } from './pipeline-topology';
import { PipelineUseCases } from './pipeline-use-cases';
import { CreatePipelineUseCase } from './usecases/create-pipeline/create-pipeline.usecase';
import { GetPipelineUseCase } from './usecases/get-pipeline/get-pipeline.usecase';
import { ListPipelinesUseCase } from './usecases/list-pipelines/list-pipelines.usecase';
import { StartPipelineUseCase } from './usecases/start-pipeline/start-pipeline.usecase';
import { StopPipelineUseCase } from './usecases/stop-pipeline/stop-pipeline.usecase';
import { PurgeRemovedPipelinesUseCase } from './usecases/purge-removed-pipelines/purge-removed-pipelines.usecase';
import { UninstallPipelineUseCase } from './usecases/uninstall-pipeline/uninstall-pipeline.usecase';

/** Pipelines: their registry table, the exchanges between stages, the use cases. */
export const PIPELINE_PROVIDERS: Provider[] = [
  {
    provide: PipelineRepository,
    useFactory: (ds: DataSource, owner: OperationOwner) => new TypeormPipelineRepository(ds, owner),
    inject: [REGISTRY_DATA_SOURCE, OperationOwner],
  },
  {
    provide: PipelineTopology,
    useFactory: (brokers: BrokerRegistry) => new BrokerPipelineTopology(brokers),
    inject: [BROKER_REGISTRY],
  },
  PipelineAccess,
  CreatePipelineUseCase,
  ListPipelinesUseCase,
  GetPipelineUseCase,
  StartPipelineUseCase,
  StopPipelineUseCase,
  UninstallPipelineUseCase,
  PurgeRemovedPipelinesUseCase,
  PipelineUseCases,
];
