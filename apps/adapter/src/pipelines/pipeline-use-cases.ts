import { Inject, Injectable } from '@nestjs/common';
import { CreatePipelineUseCase } from './usecases/create-pipeline/create-pipeline.usecase';
import { GetPipelineUseCase } from './usecases/get-pipeline/get-pipeline.usecase';
import { ListPipelinesUseCase } from './usecases/list-pipelines/list-pipelines.usecase';
import { StartPipelineUseCase } from './usecases/start-pipeline/start-pipeline.usecase';
import { StopPipelineUseCase } from './usecases/stop-pipeline/stop-pipeline.usecase';
import { UninstallPipelineUseCase } from './usecases/uninstall-pipeline/uninstall-pipeline.usecase';

/** The `pipelines.*` use cases, handed to the transport handlers as one group. */
@Injectable()
export class PipelineUseCases {
  constructor(
    @Inject(CreatePipelineUseCase) readonly create: CreatePipelineUseCase,
    @Inject(ListPipelinesUseCase) readonly list: ListPipelinesUseCase,
    @Inject(GetPipelineUseCase) readonly get: GetPipelineUseCase,
    @Inject(StartPipelineUseCase) readonly start: StartPipelineUseCase,
    @Inject(StopPipelineUseCase) readonly stop: StopPipelineUseCase,
    @Inject(UninstallPipelineUseCase) readonly uninstall: UninstallPipelineUseCase,
  ) {}
}
