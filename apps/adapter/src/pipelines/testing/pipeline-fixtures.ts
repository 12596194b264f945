import type { PipelineObject, PipelineStage, RuntimeKind } from '@ruleshift/contracts';

const FILTER_PROPS = { condition: '>', threshold: 50, fieldName: 'temperature' };

/** A stage reading the devices' exchange (no `from`). */
export const sourceStage = (
  name: string,
  runtime: RuntimeKind = 'edge',
  targetResource = runtime === 'edge' ? 'gw-1' : 'flink',
): PipelineStage => ({
  name,
  headers: { runtime, targetResource, jobType: 'filter' },
  jobConfig: {
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: `${name}.in`,
      inputRoutingKey: 'temperature',
    },
  },
  jobProps: FILTER_PROPS,
});

/** A stage reading `from`, writing to `alerts` with routing key = its name. */
export const sinkStage = (
  name: string,
  from: string[],
  runtime: RuntimeKind = 'edge',
  jobType = 'filter',
  targetResource = runtime === 'edge' ? 'gw-1' : 'flink',
): PipelineStage => ({
  name,
  from,
  headers: { runtime, targetResource, jobType },
  jobConfig: {
    connectors: { outputEndpoint: 'edge', outputExchange: 'alerts', outputRoutingKey: name },
  },
  jobProps: FILTER_PROPS,
});

/** hot (edge) -> classify (edge): the two-stage example, with a filter in the middle. */
export const twoStagePipeline = (name = 'overheat'): PipelineObject => ({
  name,
  stages: [sourceStage('hot'), sinkStage('classify', ['hot'])],
});
