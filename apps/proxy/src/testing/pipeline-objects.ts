import type { PipelineInfo, PipelineObject } from '@ruleshift/contracts';
import { jobInfo } from './paper-objects';

/** The two-stage pipeline (a filter in the middle until business-rules is on main). */
export function overheatPipeline(): PipelineObject {
  return {
    name: 'overheat',
    stages: [
      {
        name: 'hot',
        headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
        jobConfig: {
          connectors: {
            inputEndpoint: 'edge',
            inputExchange: 'sensors',
            inputQueue: 'overheat.in',
            inputRoutingKey: 'temperature',
          },
        },
        jobProps: { condition: '>', threshold: 50, fieldName: 'temperature' },
      },
      {
        name: 'classify',
        from: ['hot'],
        headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
        jobConfig: {
          connectors: { outputEndpoint: 'edge', outputExchange: 'alerts', outputRoutingKey: 'hot' },
        },
        jobProps: { condition: '>', threshold: 80, fieldName: 'temperature' },
      },
    ],
  };
}

export function pipelineInfo(status: PipelineInfo['status'] = 'INSTALLED'): PipelineInfo {
  return {
    pipelineId: '5b7a3c1e-0000-4000-8000-000000000001',
    name: 'overheat',
    status,
    stages: [{ name: 'hot', from: [], jobInfo: jobInfo() }],
  };
}
