import type { InstallationObject } from '@ruleshift/contracts';
import { partitionedInput } from './partitioned-input';

const connectors = {
  inputEndpoint: 'edge',
  inputExchange: 'sensors',
  inputQueue: 'rule.in',
  inputRoutingKey: 'temperature',
  outputEndpoint: 'edge',
  outputExchange: 'out',
  outputRoutingKey: 'r',
  partitionKey: { source: 'header' as const, name: 'deviceId' },
};
const request = (parallelism?: number): InstallationObject => ({
  headers: { runtime: 'flink', targetResource: 'flink', jobType: 'window-aggregation' },
  jobConfig: { connectors, parallelism },
  jobProps: {},
});

describe('partitionedInput', () => {
  it('names N partition queues in order and sets the parallelism (the Flink source contract)', () => {
    expect(partitionedInput(request(3))).toEqual({
      parallelism: 3,
      connectors: { ...connectors, inputQueues: ['rule.in.p0', 'rule.in.p1', 'rule.in.p2'] },
    });
  });

  it('leaves a rule read from one queue as asked', () => {
    expect(partitionedInput(request())).toEqual({ connectors });
    expect(partitionedInput(request(1))).toEqual({ connectors });
  });
});
