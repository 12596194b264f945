import type { InstallationObject } from '@ruleshift/contracts';
import { partitioningErrors } from './partitioning-check';

const ONE_INPUT: { jobType: string; inputs: 1 | 2 } = { jobType: 'window-aggregation', inputs: 1 };

function request(
  jobConfig: Partial<InstallationObject['jobConfig']> & Record<string, unknown> = {},
  connectors: Record<string, unknown> = {},
  runtime: 'edge' | 'flink' = 'flink',
): InstallationObject {
  return {
    headers: { runtime, targetResource: 'flink', jobType: 'window-aggregation' },
    jobConfig: {
      ...jobConfig,
      connectors: {
        inputEndpoint: 'edge',
        inputExchange: 'sensors',
        inputQueue: 'q',
        inputRoutingKey: 'temperature',
        outputEndpoint: 'edge',
        outputExchange: 'out',
        outputRoutingKey: 'r',
        ...connectors,
      },
    },
    jobProps: {},
  };
}

const fields = (r: InstallationObject, template = ONE_INPUT) =>
  partitioningErrors(r, template).map((e) => e.field);
const HEADER_KEY = { partitionKey: { source: 'header', name: 'deviceId' } };

describe('partitioningErrors', () => {
  it('accepts no parallelism, parallelism 1, and parallelism N on Flink with a readable key', () => {
    expect(fields(request())).toEqual([]);
    expect(fields(request({ parallelism: 1 }))).toEqual([]);
    expect(fields(request({ parallelism: 4 }, HEADER_KEY))).toEqual([]);
    expect(
      fields(
        request({ parallelism: 2 }, { partitionKey: { source: 'property', name: 'message_id' } }),
      ),
    ).toEqual([]);
    expect(
      fields(
        request(
          { parallelism: 2 },
          { partitionKey: { source: 'routingKey' }, exchangeType: 'topic' },
        ),
      ),
    ).toEqual([]);
  });

  it.each([0, -1, 2.5, 33, '4', null])('refuses parallelism %p naming the field', (parallelism) => {
    expect(fields(request({ parallelism } as never, HEADER_KEY))).toEqual([
      'jobConfig.parallelism',
    ]);
  });

  it('refuses parallelism above 1 on the edge, where an agent runs the rule on one thread', () => {
    const errors = partitioningErrors(request({ parallelism: 2 }, HEADER_KEY, 'edge'), ONE_INPUT);
    expect(errors).toEqual([
      {
        field: 'jobConfig.parallelism',
        reason: expect.stringContaining('install a parallel rule on flink'),
      },
    ]);
  });

  it('refuses a two-input template and the default exchange', () => {
    expect(
      fields(request({ parallelism: 2 }, HEADER_KEY), { jobType: 'window-join', inputs: 2 }),
    ).toEqual(['jobConfig.parallelism']);
    expect(fields(request({ parallelism: 2 }, { ...HEADER_KEY, inputExchange: '' }))).toEqual([
      'jobConfig.connectors.inputExchange',
    ]);
  });

  it('needs a partition key the broker can hash, and none without parallelism', () => {
    expect(fields(request({ parallelism: 2 }))).toEqual(['jobConfig.connectors.partitionKey']);
    expect(fields(request({}, HEADER_KEY))).toEqual(['jobConfig.connectors.partitionKey']);
    expect(fields(request({ parallelism: 1 }, HEADER_KEY))).toEqual([
      'jobConfig.connectors.partitionKey',
    ]);
    expect(fields(request({ parallelism: 2 }, { partitionKey: 'deviceId' }))).toEqual([
      'jobConfig.connectors.partitionKey',
    ]);
    expect(
      fields(
        request({ parallelism: 2 }, { partitionKey: { source: 'jsonPath', name: '$.deviceId' } }),
      ),
    ).toEqual(['jobConfig.connectors.partitionKey.source']);
    expect(fields(request({ parallelism: 2 }, { partitionKey: { source: 'header' } }))).toEqual([
      'jobConfig.connectors.partitionKey.name',
    ]);
    expect(
      fields(
        request({ parallelism: 2 }, { partitionKey: { source: 'property', name: 'user_id' } }),
      ),
    ).toEqual(['jobConfig.connectors.partitionKey.name']);
    // A direct binding passes one routing key: every event would land in one partition.
    expect(fields(request({ parallelism: 2 }, { partitionKey: { source: 'routingKey' } }))).toEqual(
      ['jobConfig.connectors.partitionKey'],
    );
  });

  it('refuses inputQueues from a client: the adapter names the partitions', () => {
    expect(fields(request({ parallelism: 2 }, { ...HEADER_KEY, inputQueues: ['a', 'b'] }))).toEqual(
      ['jobConfig.connectors.inputQueues'],
    );
  });
});
