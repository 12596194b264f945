import {
  DEAD_LETTER_EXCHANGE,
  type ExchangeType,
  type InputConnector,
  type PartitionKey,
  type RuleConfig,
} from '@ruleshift/contracts';
import type { BrokerRegistry, ExchangeSpec, QueueSpec, Topology } from './broker-port';

export const deadLetterQueueFor = (jobId: string): string => `ruleshift.dlq.${jobId}`;
/**
 * Where a bounded dead-letter queue sends what it drops (RabbitMQ dead-letters a `drop-head`
 * victim with reason `maxlen`, routing key = jobId): one fanout exchange and one queue per
 * broker, which the adapter consumes to count drops per job.
 */
export const DEAD_LETTER_OVERFLOW_EXCHANGE = 'ruleshift.dlx.overflow';
export const DEAD_LETTER_OVERFLOW_QUEUE = 'ruleshift.dlq.overflow';
/** The overflow queue is drained continuously; the bound only matters while nobody counts. */
const OVERFLOW_QUEUE_MAX_LENGTH = 100_000;

/**
 * The rule's dead-letter queue exactly as every declarer must declare it (RabbitMQ refuses a
 * redeclaration with other arguments): bounded, `drop-head`, drops dead-lettered for counting.
 */
export function deadLetterQueueSpec(config: RuleConfig): QueueSpec {
  const name = deadLetterQueueFor(config.jobId);
  if (!config.deadLetterQueue) return { name, durable: true };
  return {
    name,
    durable: true,
    maxLength: config.deadLetterQueue.maxLength,
    overflow: 'drop-head',
    deadLetterExchange: DEAD_LETTER_OVERFLOW_EXCHANGE,
    deadLetterRoutingKey: config.jobId,
  };
}

/** The per-broker overflow exchange and queue that bounded dead-letter queues drop into. */
export const deadLetterOverflowTopology: Required<Omit<Topology, 'exchangeBindings'>> = {
  exchanges: [{ name: DEAD_LETTER_OVERFLOW_EXCHANGE, type: 'fanout', durable: true }],
  queues: [
    {
      name: DEAD_LETTER_OVERFLOW_QUEUE,
      durable: true,
      maxLength: OVERFLOW_QUEUE_MAX_LENGTH,
      overflow: 'drop-head',
    },
  ],
  bindings: [
    { queue: DEAD_LETTER_OVERFLOW_QUEUE, exchange: DEAD_LETTER_OVERFLOW_EXCHANGE, routingKey: '' },
  ],
};

/** The default exchange and RabbitMQ's `amq.*` ones exist already and cannot be declared. */
const isPredeclared = (exchange: string): boolean => exchange === '' || exchange.startsWith('amq.');

/** A rule's inputs as connectors: the paper's flat fields are input #0, then `secondInput`. */
export function ruleInputs(config: RuleConfig): InputConnector[] {
  const c = config.connectors;
  const first: InputConnector = {
    endpoint: c.inputEndpoint,
    exchange: c.inputExchange,
    queue: c.inputQueue,
    routingKey: c.inputRoutingKey,
    exchangeType: c.exchangeType,
  };
  return c.secondInput ? [first, c.secondInput] : [first];
}

/**
 * The consistent-hash exchange in front of a partitioned input's queues; named after the input
 * queue, like the partitions, so rules sharing an input queue share its partitions too.
 */
export const partitionExchangeFor = (inputQueue: string): string => `${inputQueue}.partitions`;

/** The partition queues of an input, in partition order: `<inputQueue>.p0` ... */
export const partitionQueuesFor = (inputQueue: string, parallelism: number): string[] =>
  Array.from({ length: parallelism }, (_, p) => `${inputQueue}.p${p}`);

/**
 * Every queue a rule consumes, as one connector each: the input queue of each input or, for a
 * partitioned input #0, each of its partition queues (same exchange and routing key: the
 * consumer's view of where its events come from). `input` is the logical input (0 or 1).
 */
export function ruleInputQueues(
  config: RuleConfig,
): { input: number; connector: InputConnector }[] {
  return ruleInputs(config).flatMap((connector, input) => {
    const partitions = input === 0 ? config.connectors.inputQueues : undefined;
    if (!partitions?.length) return [{ input, connector }];
    return partitions.map((queue) => ({ input, connector: { ...connector, queue } }));
  });
}

/** Endpoints (as written in the config) the rule reads from or writes to, without repeats. */
export function ruleEndpoints(config: RuleConfig): string[] {
  const endpoints = [
    ...ruleInputs(config).map((i) => i.endpoint),
    config.connectors.outputEndpoint,
  ];
  return [...new Set(endpoints)];
}

/**
 * Declares what a rule needs, creating what is missing: input exchanges, durable named input
 * queues and their bindings, the output exchange, and on every broker the rule touches the
 * dead-letter exchange plus the rule's own dead-letter queue (routing key = jobId). Input queues
 * are declared without arguments so every declarer (adapter, agent, Flink job) agrees on them.
 */
export async function declareRuleTopology(
  brokers: BrokerRegistry,
  config: RuleConfig,
): Promise<void> {
  const dlx = config.deadLetterExchange || DEAD_LETTER_EXCHANGE;
  const byEndpoint = new Map<string, Required<Topology>>();
  const topologyOf = (endpoint: string): Required<Topology> => {
    let topology = byEndpoint.get(endpoint);
    if (!topology) {
      topology = { exchanges: [], queues: [], bindings: [], exchangeBindings: [] };
      byEndpoint.set(endpoint, topology);
    }
    return topology;
  };
  const defaultType: ExchangeType = config.connectors.exchangeType ?? 'direct';

  for (const [index, input] of ruleInputs(config).entries()) {
    const topology = topologyOf(input.endpoint);
    addExchange(topology, input.exchange, input.exchangeType ?? defaultType);
    const partitions = index === 0 ? config.connectors.inputQueues : undefined;
    if (partitions?.length) {
      addPartitions(topology, input, partitions, config.connectors.partitionKey);
      continue;
    }
    topology.queues.push({ name: input.queue, durable: true });
    // The default exchange already routes to every queue by name; it takes no bindings.
    if (input.exchange !== '') {
      topology.bindings.push({
        queue: input.queue,
        exchange: input.exchange,
        routingKey: input.routingKey,
      });
    }
  }
  const c = config.connectors;
  addExchange(topologyOf(c.outputEndpoint), c.outputExchange, defaultType);

  for (const [endpoint, topology] of byEndpoint) {
    addExchange(topology, dlx, 'direct');
    if (config.deadLetterQueue) {
      topology.exchanges.push(...deadLetterOverflowTopology.exchanges);
      topology.queues.push(...deadLetterOverflowTopology.queues);
      topology.bindings.push(...deadLetterOverflowTopology.bindings);
    }
    topology.queues.push(deadLetterQueueSpec(config));
    topology.bindings.push({
      queue: deadLetterQueueFor(config.jobId),
      exchange: dlx,
      routingKey: config.jobId,
    });
    const broker = await brokers.get(endpoint);
    // Exchanges first, then queues, then bindings: assert() keeps that order.
    await broker.assert(topology);
  }
}

/**
 * A partitioned input: a consistent-hash exchange bound to the input exchange with the input's
 * routing key, and the partition queues bound to it with weight 1 each (the routing key of a
 * consistent-hash binding is its weight), so every partition gets an equal share of the keys.
 */
function addPartitions(
  topology: Required<Topology>,
  input: InputConnector,
  partitions: string[],
  key: PartitionKey | undefined,
): void {
  const exchange = partitionExchangeFor(input.queue);
  topology.exchanges.push({
    name: exchange,
    type: 'x-consistent-hash',
    durable: true,
    hashHeader: key?.source === 'header' ? key.name : undefined,
    hashProperty: key?.source === 'property' ? key.name : undefined,
  });
  topology.exchangeBindings.push({
    destination: exchange,
    source: input.exchange,
    routingKey: input.routingKey,
  });
  for (const queue of partitions) {
    topology.queues.push({ name: queue, durable: true });
    topology.bindings.push({ queue, exchange, routingKey: '1' });
  }
}

/**
 * Removes what the rule owned (at uninstall): its dead-letter queue on every broker it touched,
 * and each input queue `keepInput` does not claim (shared with another job, or kept on request);
 * a partitioned input's partition queues likewise, and its consistent-hash exchange with the
 * last of them. Deleting a queue or exchange that is already gone succeeds, so a retried
 * uninstall is safe.
 */
export async function deleteRuleTopology(
  brokers: BrokerRegistry,
  config: RuleConfig,
  keepInput: (input: InputConnector) => boolean,
): Promise<void> {
  for (const { input, connector } of ruleInputQueues(config)) {
    if (keepInput(connector)) continue;
    const broker = await brokers.get(connector.endpoint);
    await broker.deleteQueue(connector.queue);
    const partitions = input === 0 ? config.connectors.inputQueues : undefined;
    if (partitions?.at(-1) === connector.queue) {
      await broker.deleteExchange(partitionExchangeFor(config.connectors.inputQueue));
    }
  }
  for (const endpoint of ruleEndpoints(config)) {
    await (await brokers.get(endpoint)).deleteQueue(deadLetterQueueFor(config.jobId));
  }
}

function addExchange(topology: Required<Topology>, name: string, type: ExchangeType): void {
  if (isPredeclared(name)) return;
  const spec: ExchangeSpec = { name, type, durable: true };
  const existing = topology.exchanges.find((e) => e.name === name);
  if (!existing) topology.exchanges.push(spec);
}
