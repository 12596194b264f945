import type { ExchangeType } from '@ruleshift/contracts';
import type {
  BrokerConnection,
  ConsumeOptions,
  Consumer,
  DeliveryHandler,
  ExchangeSpec,
  PublishOptions,
  QueueSpec,
  StoredMessage,
  Topology,
} from '../broker-port';
import { BrokerError } from '../broker-error';
import { DURABLE_STATE_FORMAT, type DurableVhostState } from './durable-state';
import { InMemoryExchange } from './in-memory-exchange';
import {
  type DeadLetterReason,
  InMemoryConsumer,
  InMemoryQueue,
  type MessageData,
  type QueueHost,
  type QueueLimits,
  type QueueSettings,
  type QueuedMessage,
} from './in-memory-queue';

export interface InMemoryBrokerOptions {
  /** Deliveries per event-loop turn before yielding to I/O. */
  dispatchBatch?: number;
  now?: () => number;
  /** A consumer's handler threw (the broker keeps going, like amqplib's handler-error). */
  onHandlerError?: (error: unknown, queue: string) => void;
  /**
   * Bounds of queues that declare none (a RabbitMQ policy): a full one refuses publishes
   * (`reject-publish`), so the process's memory stays bounded. Default {@link DEFAULT_QUEUE_LIMITS}.
   */
  queueLimits?: { maxLength?: number; maxLengthBytes?: number };
}

const DEFAULT_DISPATCH_BATCH = 4096;
/** Per queue: 100,000 ready messages or 64 MiB of bodies, whichever is reached first. */
export const DEFAULT_QUEUE_LIMITS = { maxLength: 100_000, maxLengthBytes: 64 * 1024 * 1024 };
const PREDECLARED_EXCHANGES: ReadonlyArray<[string, ExchangeType]> = [
  ['amq.direct', 'direct'],
  ['amq.fanout', 'fanout'],
  ['amq.topic', 'topic'],
  ['amq.headers', 'headers'],
  ['amq.match', 'headers'],
];

type Exchange = InMemoryExchange<InMemoryQueue>;

/** The state of one vhost, shared by every session (connection) opened on it. */
class InMemoryVhost implements QueueHost {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, InMemoryQueue>();
  private readonly dirty = new Set<InMemoryQueue>();
  private dispatchScheduled = false;
  private readonly dispatchBatch: number;
  readonly now: () => number;
  private readonly onHandlerError: (error: unknown, queue: string) => void;
  private readonly defaultLimits: { maxLength: number; maxLengthBytes: number };
  closed = false;

  constructor(
    readonly name: string,
    options: InMemoryBrokerOptions,
  ) {
    this.dispatchBatch = options.dispatchBatch ?? DEFAULT_DISPATCH_BATCH;
    this.now = options.now ?? Date.now;
    this.defaultLimits = { ...DEFAULT_QUEUE_LIMITS, ...options.queueLimits };
    this.onHandlerError =
      options.onHandlerError ??
      ((error, queue) => console.error(`in-memory broker ${name}: handler of ${queue}`, error));
    for (const [exchange, type] of PREDECLARED_EXCHANGES) {
      this.exchanges.set(exchange, new InMemoryExchange(exchange, type, true));
    }
  }

  assertExchange(spec: ExchangeSpec): void {
    if (spec.name === '' || spec.name.startsWith('amq.')) {
      throw BrokerError.of('ACCESS_REFUSED', `exchange name '${spec.name}' is reserved`);
    }
    if (spec.type === 'x-consistent-hash') {
      throw BrokerError.of('NOT_FOUND', 'the in-process broker has no consistent-hash exchange');
    }
    const durable = spec.durable ?? true;
    const existing = this.exchanges.get(spec.name);
    if (!existing) {
      this.exchanges.set(spec.name, new InMemoryExchange(spec.name, spec.type, durable));
    } else if (existing.type !== spec.type || existing.durable !== durable) {
      throw BrokerError.of(
        'PRECONDITION_FAILED',
        `inequivalent arg for exchange '${spec.name}': declared ${existing.type}` +
          `${existing.durable ? ' durable' : ''}, asked ${spec.type}${durable ? ' durable' : ''}`,
      );
    }
  }

  assertQueue(spec: QueueSpec, session: object): void {
    const settings = {
      name: spec.name,
      durable: spec.durable ?? true,
      exclusive: spec.exclusive ?? false,
      autoDelete: spec.autoDelete ?? false,
      deadLetterExchange: spec.deadLetterExchange,
      deadLetterRoutingKey: spec.deadLetterRoutingKey,
      messageTtlMs: spec.messageTtlMs,
      maxLength: spec.maxLength,
      maxLengthBytes: spec.maxLengthBytes,
      overflow: spec.overflow,
    };
    const existing = this.queues.get(spec.name);
    if (!existing) {
      const owner = settings.exclusive ? session : undefined;
      this.queues.set(spec.name, new InMemoryQueue(settings, owner, this, this.limitsOf(settings)));
      return;
    }
    this.requireAccess(existing, session);
    const a = existing.settings;
    if (
      a.durable !== settings.durable ||
      a.exclusive !== settings.exclusive ||
      a.autoDelete !== settings.autoDelete ||
      a.deadLetterExchange !== settings.deadLetterExchange ||
      a.deadLetterRoutingKey !== settings.deadLetterRoutingKey ||
      a.messageTtlMs !== settings.messageTtlMs ||
      a.maxLength !== settings.maxLength ||
      a.maxLengthBytes !== settings.maxLengthBytes ||
      a.overflow !== settings.overflow
    ) {
      throw BrokerError.of('PRECONDITION_FAILED', `inequivalent arg for queue '${spec.name}'`);
    }
  }

  bind(queueName: string, exchangeName: string, routingKey: string, session: object): void {
    if (exchangeName === '') {
      throw BrokerError.of('ACCESS_REFUSED', 'operation not permitted on the default exchange');
    }
    const queue = this.requireQueue(queueName);
    this.requireAccess(queue, session);
    this.requireExchange(exchangeName).bind(queue, routingKey);
  }

  /**
   * Routes and enqueues, or refuses the whole publish when a full `reject-publish` queue is
   * among the targets: nothing is enqueued then, so the publisher's retry cannot double it.
   */
  publish(exchangeName: string, routingKey: string, data: MessageData): void {
    const targets = this.route(exchangeName, routingKey);
    const full = targets.filter((queue) => queue.refuses(data));
    if (full.length > 0) {
      const names = full.map((q) => `'${q.name}'`).join(', ');
      throw BrokerError.of(
        'RESOURCE_ERROR',
        `queue ${names} in vhost '${this.name}' is full (max ${full[0].limits.maxLength} ` +
          `messages or ${full[0].limits.maxLengthBytes} bytes): publish refused`,
      );
    }
    for (const queue of targets) queue.enqueue(data);
  }

  private route(exchangeName: string, routingKey: string): InMemoryQueue[] {
    if (exchangeName === '') {
      const queue = this.queues.get(routingKey);
      return queue ? [queue] : [];
    }
    return [...this.requireExchange(exchangeName).route(routingKey)];
  }

  private limitsOf(settings: QueueSettings): QueueLimits {
    const declared = settings.maxLength !== undefined || settings.maxLengthBytes !== undefined;
    return {
      maxLength: settings.maxLength ?? this.defaultLimits.maxLength,
      maxLengthBytes: settings.maxLengthBytes ?? this.defaultLimits.maxLengthBytes,
      // A declared bound behaves as on RabbitMQ (default drop-head); the broker-wide one protects
      // the process and refuses instead, so no event is silently lost.
      overflow: settings.overflow ?? (declared ? 'drop-head' : 'reject-publish'),
    };
  }

  consume(
    queueName: string,
    handler: DeliveryHandler,
    options: ConsumeOptions,
    session: object,
  ): InMemoryConsumer {
    const queue = this.requireQueue(queueName);
    this.requireAccess(queue, session);
    return queue.addConsumer(handler, options);
  }

  deleteQueue(name: string): void {
    const queue = this.queues.get(name);
    if (!queue) return;
    this.queues.delete(name);
    for (const exchange of this.exchanges.values()) exchange.unbindQueue(queue);
    this.dirty.delete(queue);
    queue.destroy();
  }

  deleteExchange(name: string): void {
    if (name === '' || name.startsWith('amq.')) {
      throw BrokerError.of('ACCESS_REFUSED', `exchange name '${name}' is reserved`);
    }
    this.exchanges.delete(name);
  }

  queueDepth(name: string, session: object): number {
    return this.accessibleQueue(name, session).depth();
  }

  accessibleQueue(name: string, session: object): InMemoryQueue {
    const queue = this.requireQueue(name);
    this.requireAccess(queue, session);
    return queue;
  }

  /** Durable exchanges and queues, their bindings and persistent ready messages. */
  durableState(): DurableVhostState {
    const queues = [...this.queues.values()].filter(
      (q) => q.settings.durable && !q.settings.exclusive && !q.settings.autoDelete,
    );
    const kept = new Set(queues);
    const exchanges = [...this.exchanges.values()].filter(
      (e) => e.durable && !e.name.startsWith('amq.'),
    );
    return {
      format: DURABLE_STATE_FORMAT,
      exchanges: exchanges.map((e) => ({ name: e.name, type: e.type, durable: true })),
      queues: queues.map((queue) => ({
        spec: { ...queue.settings },
        messages: queue
          .readyQueued()
          .filter((m) => m.data.persistent)
          .map(({ data, expiresAt, redelivered }) => ({
            body: data.body.toString('base64'),
            exchange: data.exchange,
            routingKey: data.routingKey,
            headers: data.headers,
            correlationId: data.correlationId,
            messageId: data.messageId,
            contentType: data.contentType,
            expiresAt,
            redelivered,
          })),
      })),
      bindings: [...this.exchanges.values()].flatMap((exchange) =>
        exchange
          .bindings()
          .filter((b) => kept.has(b.queue))
          .map((b) => ({ queue: b.queue.name, exchange: exchange.name, routingKey: b.routingKey })),
      ),
    };
  }

  /** Declares what `state` kept and puts its messages back, before anyone uses the vhost. */
  restoreDurable(state: DurableVhostState): void {
    for (const exchange of state.exchanges) this.assertExchange(exchange);
    for (const { spec, messages } of state.queues) {
      this.assertQueue(spec, this);
      const queue = this.requireQueue(spec.name);
      for (const m of messages) {
        const data: MessageData = {
          body: Buffer.from(m.body, 'base64'),
          exchange: m.exchange,
          routingKey: m.routingKey,
          headers: m.headers,
          correlationId: m.correlationId,
          messageId: m.messageId,
          contentType: m.contentType,
          persistent: true,
        };
        queue.restore(data, m.expiresAt, m.redelivered);
      }
    }
    for (const b of state.bindings) this.bind(b.queue, b.exchange, b.routingKey, this);
  }

  // QueueHost

  scheduleDispatch(queue: InMemoryQueue): void {
    this.dirty.add(queue);
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(this.runDispatch);
  }

  deadLetter(queue: InMemoryQueue, message: QueuedMessage, reason: DeadLetterReason): void {
    const { deadLetterExchange, deadLetterRoutingKey } = queue.settings;
    if (deadLetterExchange === undefined) return;
    const exchange = this.exchanges.get(deadLetterExchange);
    // RabbitMQ drops dead letters whose exchange does not exist.
    if (!exchange) return;
    const { data } = message;
    const headers = { ...data.headers };
    const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as unknown[]) : [];
    headers['x-death'] = [
      {
        queue: queue.name,
        reason,
        exchange: data.exchange,
        'routing-keys': [data.routingKey],
        count: 1,
        time: new Date(this.now()),
      },
      ...deaths,
    ];
    headers['x-first-death-reason'] ??= reason;
    headers['x-first-death-queue'] ??= queue.name;
    headers['x-first-death-exchange'] ??= data.exchange;
    const routingKey = deadLetterRoutingKey ?? data.routingKey;
    // The dead-lettered copy loses its per-message expiration, as in RabbitMQ.
    const copy: MessageData = {
      ...data,
      exchange: deadLetterExchange,
      routingKey,
      headers,
      expiration: undefined,
    };
    // As on RabbitMQ, a full `reject-publish` target silently refuses a dead letter.
    for (const target of exchange.route(routingKey))
      if (!target.refuses(copy)) target.enqueue(copy);
  }

  lastConsumerGone(queue: InMemoryQueue): void {
    if (queue.settings.autoDelete && this.queues.get(queue.name) === queue)
      this.deleteQueue(queue.name);
  }

  handlerFailed(error: unknown, queue: string): void {
    this.onHandlerError(error, queue);
  }

  private readonly runDispatch = (): void => {
    this.dispatchScheduled = false;
    let budget = this.dispatchBatch;
    while (this.dirty.size > 0 && budget > 0) {
      for (const queue of this.dirty) {
        this.dirty.delete(queue);
        budget -= queue.dispatch(budget);
        if (budget <= 0) {
          this.dirty.add(queue);
          break;
        }
      }
    }
    if (this.dirty.size > 0 && !this.dispatchScheduled) {
      this.dispatchScheduled = true;
      setImmediate(this.runDispatch);
    }
  };

  private requireExchange(name: string): Exchange {
    const exchange = this.exchanges.get(name);
    if (!exchange)
      throw BrokerError.of('NOT_FOUND', `no exchange '${name}' in vhost '${this.name}'`);
    return exchange;
  }

  private requireQueue(name: string): InMemoryQueue {
    const queue = this.queues.get(name);
    if (!queue) throw BrokerError.of('NOT_FOUND', `no queue '${name}' in vhost '${this.name}'`);
    return queue;
  }

  private requireAccess(queue: InMemoryQueue, session: object): void {
    if (queue.owner !== undefined && queue.owner !== session) {
      throw BrokerError.of(
        'RESOURCE_LOCKED',
        `cannot obtain exclusive access to locked queue '${queue.name}' in vhost '${this.name}'`,
      );
    }
  }
}

const stored = (data: MessageData): StoredMessage => ({
  body: data.body,
  exchange: data.exchange,
  routingKey: data.routingKey,
  headers: data.headers,
});

/**
 * A connection to an in-process vhost. Closing it closes only what it opened: its consumers
 * (unsettled deliveries go back to their queues) and its exclusive queues.
 */
export class InMemoryBrokerSession implements BrokerConnection {
  private readonly consumers = new Set<InMemoryConsumer>();
  private closed = false;

  /** Use `InMemoryBroker.connect()`; the vhost type is internal. */
  constructor(protected readonly vhost: InMemoryVhost) {}

  get name(): string {
    return this.vhost.name;
  }

  assert(topology: Topology): Promise<void> {
    return this.run(() => {
      // Partitioned inputs rely on RabbitMQ's consistent-hash exchange plugin.
      if (
        topology.exchangeBindings?.length ||
        topology.exchanges?.some((e) => e.type === 'x-consistent-hash')
      ) {
        throw BrokerError.of(
          'NOT_FOUND',
          'the in-process broker has no consistent-hash exchange and no exchange-to-exchange ' +
            'bindings: a partitioned input (parallelism > 1) needs RabbitMQ',
        );
      }
      for (const exchange of topology.exchanges ?? []) this.vhost.assertExchange(exchange);
      for (const queue of topology.queues ?? []) this.vhost.assertQueue(queue, this);
      for (const b of topology.bindings ?? [])
        this.vhost.bind(b.queue, b.exchange, b.routingKey, this);
    });
  }

  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: PublishOptions = {},
  ): Promise<void> {
    return this.run(() =>
      this.vhost.publish(exchange, routingKey, {
        body,
        exchange,
        routingKey,
        headers: options.headers ?? {},
        correlationId: options.correlationId,
        replyTo: options.replyTo,
        messageId: options.messageId,
        contentType: options.contentType,
        persistent: options.persistent ?? true,
        expiration: options.expiration,
      }),
    );
  }

  consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Consumer> {
    return this.run(() => {
      const consumer = this.vhost.consume(queue, handler, options, this);
      this.consumers.add(consumer);
      return consumer;
    });
  }

  deleteQueue(queue: string): Promise<void> {
    return this.run(() => this.vhost.deleteQueue(queue));
  }

  deleteExchange(exchange: string): Promise<void> {
    return this.run(() => this.vhost.deleteExchange(exchange));
  }

  queueDepth(queue: string): Promise<number> {
    return this.run(() => this.vhost.queueDepth(queue, this));
  }

  queueConsumers(queue: string): Promise<number> {
    return this.run(() => this.vhost.accessibleQueue(queue, this).consumerCount);
  }

  browse(queue: string, max: number): Promise<StoredMessage[]> {
    return this.run(() => this.vhost.accessibleQueue(queue, this).readyMessages(max).map(stored));
  }

  async take(
    queue: string,
    count: number,
    handler: (message: StoredMessage) => Promise<void>,
  ): Promise<number> {
    let taken = 0;
    while (taken < count) {
      const source = await this.run(() => this.vhost.accessibleQueue(queue, this));
      const message = source.takeHead();
      if (!message) break;
      try {
        await handler(stored(message.data));
      } catch (error) {
        source.putBack(message);
        throw error;
      }
      taken++;
    }
    return taken;
  }

  purge(queue: string): Promise<number> {
    return this.run(() => this.vhost.accessibleQueue(queue, this).purge());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const consumer of this.consumers) await consumer.close();
    this.consumers.clear();
    for (const queue of [...this.vhost.queues.values()]) {
      if (queue.owner === this) this.vhost.deleteQueue(queue.name);
    }
  }

  /** Runs synchronously, settles asynchronously: callers get a promise like a broker round trip. */
  private run<T>(operation: () => T): Promise<T> {
    if (this.closed || this.vhost.closed) {
      return Promise.reject(
        BrokerError.of('CHANNEL_CLOSED', `connection to '${this.name}' is closed`),
      );
    }
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/**
 * In-process broker with the RabbitMQ semantics ruleshift relies on. One instance is one vhost;
 * `connect()` opens further connections to it, and closing the broker itself closes everything.
 */
export class InMemoryBroker extends InMemoryBrokerSession {
  private readonly sessions = new Set<InMemoryBrokerSession>();

  constructor(name: string, options: InMemoryBrokerOptions = {}) {
    super(new InMemoryVhost(name, options));
  }

  /** What a clean stop keeps (see {@link DurableVhostState}); valid after close() too. */
  durableState(): DurableVhostState {
    return this.vhost.durableState();
  }

  /** Puts back what an earlier run kept; call it before anything else uses this broker. */
  restoreDurable(state: DurableVhostState): void {
    this.vhost.restoreDurable(state);
  }

  connect(): BrokerConnection {
    const session = new InMemoryBrokerSession(this.vhost);
    this.sessions.add(session);
    return session;
  }

  override async close(): Promise<void> {
    for (const session of this.sessions) await session.close();
    await super.close();
    this.vhost.closed = true;
  }
}
