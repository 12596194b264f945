import { PipelineEntity } from './pipeline.entity';

export { Pipelines1767500000000 } from './1767500000000-pipelines';

export const PIPELINE_ENTITIES = [PipelineEntity];
