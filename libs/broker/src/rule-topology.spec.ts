import type { RuleConfig } from '@ruleshift/contracts';
import { brokerConfigFromEnv } from './registry/broker-config';
import { BrokerRegistryImpl } from './registry/broker-registry';
import { InMemoryBrokerHub } from './registry/in-memory-hub';
import {
  DEAD_LETTER_OVERFLOW_QUEUE,
  declareRuleTopology,
  deadLetterQueueFor,
  deleteRuleTopology,
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
