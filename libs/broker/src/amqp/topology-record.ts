import type { Channel } from 'amqplib';
import type {
  BindingSpec,
  ExchangeBindingSpec,
  ExchangeSpec,
  QueueSpec,
  Topology,
} from '../broker-port';

/** Everything asserted through one connection, so a reconnect can declare it again. */
export class TopologyRecord {
  private readonly exchanges = new Map<string, ExchangeSpec>();
  private readonly queues = new Map<string, QueueSpec>();
  private readonly bindings = new Map<string, BindingSpec>();
  private readonly exchangeBindings = new Map<string, ExchangeBindingSpec>();

  add(topology: Topology): void {
    for (const e of topology.exchanges ?? []) this.exchanges.set(e.name, e);
    for (const q of topology.queues ?? []) this.queues.set(q.name, q);
    for (const b of topology.bindings ?? []) this.bindings.set(bindingKey(b), b);
    for (const b of topology.exchangeBindings ?? [])
      this.exchangeBindings.set(exchangeBindingKey(b), b);
  }

  forgetQueue(queue: string): void {
    this.queues.delete(queue);
    for (const [key, binding] of this.bindings)
      if (binding.queue === queue) this.bindings.delete(key);
  }

  forgetExchange(exchange: string): void {
    this.exchanges.delete(exchange);
    for (const [key, binding] of this.bindings)
      if (binding.exchange === exchange) this.bindings.delete(key);
    for (const [key, binding] of this.exchangeBindings)
      if (binding.source === exchange || binding.destination === exchange)
        this.exchangeBindings.delete(key);
  }

  isAutoDeleted(queue: string): boolean {
    const spec = this.queues.get(queue);
    return spec?.autoDelete === true || spec?.exclusive === true;
  }

  all(): Required<Topology> {
    return {
      exchanges: [...this.exchanges.values()],
      queues: [...this.queues.values()],
      bindings: [...this.bindings.values()],
      exchangeBindings: [...this.exchangeBindings.values()],
    };
  }
}

/** Declares in dependency order: exchanges, queues, then bindings. */
export async function applyTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const e of topology.exchanges ?? []) {
    await channel.assertExchange(e.name, e.type, {
      durable: e.durable ?? true,
      arguments: exchangeArguments(e),
    });
  }
  for (const q of topology.queues ?? []) {
    await channel.assertQueue(q.name, {
      durable: q.durable ?? true,
      exclusive: q.exclusive ?? false,
      autoDelete: q.autoDelete ?? false,
      arguments: queueArguments(q),
    });
  }
  for (const b of topology.bindings ?? [])
    await channel.bindQueue(b.queue, b.exchange, b.routingKey);
  for (const b of topology.exchangeBindings ?? [])
    await channel.bindExchange(b.destination, b.source, b.routingKey);
}

function exchangeArguments(e: ExchangeSpec): Record<string, unknown> | undefined {
  if (e.hashHeader !== undefined) return { 'hash-header': e.hashHeader };
  if (e.hashProperty !== undefined) return { 'hash-property': e.hashProperty };
  return undefined;
}

function queueArguments(q: QueueSpec): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (q.deadLetterExchange !== undefined) args['x-dead-letter-exchange'] = q.deadLetterExchange;
  if (q.deadLetterRoutingKey !== undefined)
    args['x-dead-letter-routing-key'] = q.deadLetterRoutingKey;
  if (q.messageTtlMs !== undefined) args['x-message-ttl'] = q.messageTtlMs;
  if (q.maxLength !== undefined) args['x-max-length'] = q.maxLength;
  if (q.maxLengthBytes !== undefined) args['x-max-length-bytes'] = q.maxLengthBytes;
  if (q.overflow !== undefined) args['x-overflow'] = q.overflow;
  return args;
}

const bindingKey = (b: BindingSpec): string => JSON.stringify([b.queue, b.exchange, b.routingKey]);
const exchangeBindingKey = (b: ExchangeBindingSpec): string =>
  JSON.stringify([b.destination, b.source, b.routingKey]);
