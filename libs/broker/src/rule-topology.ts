import {
  DEAD_LETTER_EXCHANGE,
  type ExchangeType,
  type InputConnector,
  type RuleConfig,
} from '@ruleshift/contracts';
import type { BrokerRegistry, ExchangeSpec, Topology } from './broker-port';

export const deadLetterQueueFor = (jobId: string): string => `ruleshift.dlq.${jobId}`;

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
    if (!topology)
      byEndpoint.set(endpoint, (topology = { exchanges: [], queues: [], bindings: [] }));
    return topology;
  };
  const defaultType: ExchangeType = config.connectors.exchangeType ?? 'direct';

  for (const input of ruleInputs(config)) {
    const topology = topologyOf(input.endpoint);
    addExchange(topology, input.exchange, input.exchangeType ?? defaultType);
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
    topology.queues.push({ name: deadLetterQueueFor(config.jobId), durable: true });
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

/** Removes the rule's dead-letter queue on every broker it touched (at uninstall). */
export async function deleteRuleDeadLetterQueue(
  brokers: BrokerRegistry,
  config: RuleConfig,
): Promise<void> {
  for (const endpoint of ruleEndpoints(config)) {
    const broker = await brokers.get(endpoint);
    await broker.deleteQueue(deadLetterQueueFor(config.jobId));
  }
}

function addExchange(topology: Required<Topology>, name: string, type: ExchangeType): void {
  if (isPredeclared(name)) return;
  const spec: ExchangeSpec = { name, type, durable: true };
  const existing = topology.exchanges.find((e) => e.name === name);
  if (!existing) topology.exchanges.push(spec);
}
