import type { RuleConfig } from '@ruleshift/contracts';
import { brokerConfigFromEnv } from './registry/broker-config';
import { BrokerRegistryImpl } from './registry/broker-registry';
import { InMemoryBrokerHub } from './registry/in-memory-hub';
import type { BrokerConnection, BrokerRegistry, Topology } from './broker-port';
import {
  DEAD_LETTER_OVERFLOW_QUEUE,
  declareRuleTopology,
  deadLetterQueueFor,
  deleteRuleTopology,
  partitionQueuesFor,
  ruleInputQueues,
} from './rule-topology';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function config(overrides: Partial<RuleConfig['connectors']> = {}): RuleConfig {
  return {
    jobId: 'job-1',
    jobType: 'filter',
    templateVersion: '1.0.0',
    deadLetterExchange: 'ruleshift.dlx',
    jobProps: {},
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: 'job-1.in',
      inputRoutingKey: 'temp',
      outputEndpoint: 'core',
      outputExchange: 'alerts',
      outputRoutingKey: 'hot',
      ...overrides,
    },
  };
}

describe('declareRuleTopology', () => {
  let hub: InMemoryBrokerHub;
  let registry: BrokerRegistryImpl;
  beforeEach(() => {
    hub = new InMemoryBrokerHub();
    registry = new BrokerRegistryImpl(brokerConfigFromEnv({}), {
      hub,
      connectAmqp: () => Promise.reject(new Error('no amqp in unit tests')),
    });
  });
  afterEach(() => hub.closeAll());

  it('declares input, output and dead-letter topology on each broker, idempotently', async () => {
    await declareRuleTopology(registry, config());
    await declareRuleTopology(registry, config());
    const edge = hub.get('edge');
    const core = hub.get('core');

    await edge.publish('sensors', 'temp', Buffer.from('{}'));
    await edge.publish('sensors', 'other', Buffer.from('{}'));
    expect(await edge.queueDepth('job-1.in')).toBe(1);
    await expect(core.publish('alerts', 'hot', Buffer.from('{}'))).resolves.toBeUndefined();

    for (const broker of [edge, core]) {
      await broker.publish('ruleshift.dlx', 'job-1', Buffer.from('bad'));
      await broker.publish('ruleshift.dlx', 'job-2', Buffer.from('bad'));
      expect(await broker.queueDepth(deadLetterQueueFor('job-1'))).toBe(1);
    }
  });

  it('declares the second input and honours exchangeType', async () => {
    await declareRuleTopology(
      registry,
      config({
        exchangeType: 'topic',
        secondInput: {
          endpoint: 'edge',
          exchange: 'doors',
          queue: 'job-1.in2',
          routingKey: 'door.*',
        },
      }),
    );
    const edge = hub.get('edge');
    await edge.publish('sensors', 'temp', Buffer.from('{}'));
    await edge.publish('doors', 'door.front', Buffer.from('{}'));
    await turn();
    expect(await edge.queueDepth('job-1.in')).toBe(1);
    expect(await edge.queueDepth('job-1.in2')).toBe(1);
  });

  const gone = { replyCode: 404 };

  it('deletes the dead-letter queues and the input queue it owned, on every broker', async () => {
    await declareRuleTopology(registry, config());
    await deleteRuleTopology(registry, config(), () => false);
    await expect(hub.get('edge').queueDepth('ruleshift.dlq.job-1')).rejects.toMatchObject(gone);
    await expect(hub.get('core').queueDepth('ruleshift.dlq.job-1')).rejects.toMatchObject(gone);
    await expect(hub.get('edge').queueDepth('job-1.in')).rejects.toMatchObject(gone);
    // A new job on the same queue name starts empty: the old binding went with the queue.
    await hub.get('edge').publish('sensors', 'temp', Buffer.from('{}'));
    await declareRuleTopology(registry, config());
    expect(await hub.get('edge').queueDepth('job-1.in')).toBe(0);
  });

  it('keeps the input queues the caller claims and is safe to repeat', async () => {
    await declareRuleTopology(registry, config());
    await hub.get('edge').publish('sensors', 'temp', Buffer.from('{}'));
    await deleteRuleTopology(registry, config(), (input) => input.queue === 'job-1.in');
    await deleteRuleTopology(registry, config(), (input) => input.queue === 'job-1.in');
    expect(await hub.get('edge').queueDepth('job-1.in')).toBe(1);
    await expect(hub.get('edge').queueDepth('ruleshift.dlq.job-1')).rejects.toMatchObject(gone);
  });

  it('bounds the dead-letter queue: the oldest letters drop into the overflow queue', async () => {
    const bounded: RuleConfig = { ...config(), deadLetterQueue: { maxLength: 2 } };
    await declareRuleTopology(registry, bounded);
    // Declared again with the same arguments (adapter, then agent): accepted.
    await declareRuleTopology(registry, bounded);
    const edge = hub.get('edge');
    for (const n of ['1', '2', '3']) await edge.publish('ruleshift.dlx', 'job-1', Buffer.from(n));
    expect(await edge.queueDepth(deadLetterQueueFor('job-1'))).toBe(2);
    expect(await edge.queueDepth(DEAD_LETTER_OVERFLOW_QUEUE)).toBe(1);
  });
});

describe('a partitioned input (parallelism > 1)', () => {
  const partitioned = (): RuleConfig => ({
    ...config({
      partitionKey: { source: 'header', name: 'deviceId' },
      inputQueues: partitionQueuesFor('job-1.in', 3),
    }),
    parallelism: 3,
  });

  /** Records what each endpoint is asked to declare and delete. */
  function recordingRegistry() {
    const asserted = new Map<string, Topology[]>();
    const deleted: string[] = [];
    const registry = {
      get: (endpoint: string) =>
        Promise.resolve({
          assert: (topology: Topology) => {
            asserted.set(endpoint, [...(asserted.get(endpoint) ?? []), topology]);
            return Promise.resolve();
          },
          deleteQueue: (queue: string) => {
            deleted.push(`${endpoint} queue ${queue}`);
            return Promise.resolve();
          },
          deleteExchange: (exchange: string) => {
            deleted.push(`${endpoint} exchange ${exchange}`);
            return Promise.resolve();
          },
        } as unknown as BrokerConnection),
    } as unknown as BrokerRegistry;
    return { registry, asserted, deleted };
  }

  it('declares a consistent-hash exchange bound from the input, and the partition queues instead of the input queue', async () => {
    const { registry, asserted } = recordingRegistry();
    await declareRuleTopology(registry, partitioned());
    const [edge] = asserted.get('edge')!;
    expect(edge.exchanges).toEqual(
      expect.arrayContaining([
        { name: 'sensors', type: 'direct', durable: true },
        {
          name: 'job-1.in.partitions',
          type: 'x-consistent-hash',
          durable: true,
          hashHeader: 'deviceId',
          hashProperty: undefined,
        },
      ]),
    );
    expect(edge.exchangeBindings).toEqual([
      { destination: 'job-1.in.partitions', source: 'sensors', routingKey: 'temp' },
    ]);
    const queues = edge.queues!.map((q) => q.name);
    expect(queues).toEqual(expect.arrayContaining(['job-1.in.p0', 'job-1.in.p1', 'job-1.in.p2']));
    expect(queues).not.toContain('job-1.in');
    // Equal weights: the routing key of a consistent-hash binding is the partition's weight.
    expect(edge.bindings!.filter((b) => b.exchange === 'job-1.in.partitions')).toEqual([
      { queue: 'job-1.in.p0', exchange: 'job-1.in.partitions', routingKey: '1' },
      { queue: 'job-1.in.p1', exchange: 'job-1.in.partitions', routingKey: '1' },
      { queue: 'job-1.in.p2', exchange: 'job-1.in.partitions', routingKey: '1' },
    ]);
    expect(edge.bindings!.some((b) => b.exchange === 'sensors')).toBe(false);
  });

  it('hashes a message property when the key is one', async () => {
    const { registry, asserted } = recordingRegistry();
    const rule = partitioned();
    rule.connectors.partitionKey = { source: 'property', name: 'message_id' };
    await declareRuleTopology(registry, rule);
    const hash = asserted.get('edge')![0].exchanges!.find((e) => e.type === 'x-consistent-hash');
    expect(hash).toMatchObject({ hashProperty: 'message_id', hashHeader: undefined });
  });

  it('lists every partition queue as consumed from input #0', () => {
    expect(ruleInputQueues(partitioned()).map((q) => [q.input, q.connector.queue])).toEqual([
      [0, 'job-1.in.p0'],
      [0, 'job-1.in.p1'],
      [0, 'job-1.in.p2'],
    ]);
  });

  it('deletes the partition queues and then their exchange, unless the caller keeps them', async () => {
    const { registry, deleted } = recordingRegistry();
    await deleteRuleTopology(registry, partitioned(), () => false);
    expect(deleted).toEqual([
      'edge queue job-1.in.p0',
      'edge queue job-1.in.p1',
      'edge queue job-1.in.p2',
      'edge exchange job-1.in.partitions',
      'edge queue ruleshift.dlq.job-1',
      'core queue ruleshift.dlq.job-1',
    ]);

    const kept = recordingRegistry();
    await deleteRuleTopology(kept.registry, partitioned(), () => true);
    expect(kept.deleted).toEqual([
      'edge queue ruleshift.dlq.job-1',
      'core queue ruleshift.dlq.job-1',
    ]);
  });

  it('is refused by the in-process broker, which has no consistent-hash exchange', async () => {
    const hub = new InMemoryBrokerHub();
    const registry = new BrokerRegistryImpl(brokerConfigFromEnv({}), {
      hub,
      connectAmqp: () => Promise.reject(new Error('no amqp in unit tests')),
    });
    await expect(declareRuleTopology(registry, partitioned())).rejects.toThrow(
      /consistent-hash exchange/,
    );
    await hub.closeAll();
  });
});
