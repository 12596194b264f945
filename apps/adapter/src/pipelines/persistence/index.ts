import { PipelineEntity } from './pipeline.entity';

export { Pipelines1767600000000 } from './1767600000000-pipelines';

export const PIPELINE_ENTITIES = [PipelineEntity];
