import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type GetMessage,
  type Options,
  connect,
} from 'amqplib';
import type {
  BrokerConnection,
  ConsumeOptions,
  Consumer,
  DeliveryHandler,
  PublishOptions,
  StoredMessage,
  Topology,
} from '../broker-port';
import { BrokerError } from '../broker-error';
import type { BrokerTls } from '../registry/broker-tls';
import { redactUrl } from '../registry/endpoint';
import { AmqpConsumer, type ConsumerHost } from './amqp-consumer';
import {
  type BrokerLogger,
  CONNECTION_NAME_PREFIX,
  DEFAULT_HEARTBEAT_S,
  MAX_RECONNECT_DELAY_MS,
  RECONNECT_DELAY_MS,
  consoleBrokerLogger,
  errorText,
} from './amqp-defaults';
import { AmqpPublisher, type PublisherHost } from './amqp-publisher';
import { ReconnectBackoff } from './reconnect-backoff';
import { TopologyRecord, applyTopology } from './topology-record';

export interface AmqpBrokerConnectionOptions {
  /** May carry credentials: it is never logged or exposed. */
  url: string;
  /** Credential-free name (`edge`, `core`, `amqp://host:port/vhost`); default: the redacted URL. */
  name?: string;
  /** `connection_name` client property; default `ruleshift:<name>`. */
  connectionName?: string;
  heartbeatS?: number;
  /** For `amqps://`: CA, client certificate and key (the socket verifies the broker). */
  tls?: BrokerTls;
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  logger?: BrokerLogger;
  /** Draws the reconnect jitter (default Math.random); injectable for tests. */
  random?: () => number;
}

type Waiter = { resolve(model: ChannelModel): void; reject(error: Error): void };

/**
 * BrokerConnection over amqplib. One connection; publishes share one ConfirmChannel, each
 * consumer has its own channel, declarations use a separate channel so a refused declaration
 * cannot take publishes down with it. When the connection drops it reconnects with backoff,
 * declares again everything asserted through it and resubscribes consumers; deliveries of the
 * dead connection are redelivered by the broker (at-least-once), settling them is a no-op, and
 * each consumer tells its owner at once (ConsumeOptions.onChannelLost). Every wait
 * is jittered (ReconnectBackoff) so many clients cut at once do not return in lock-step.
 */
export class AmqpBrokerConnection implements BrokerConnection, ConsumerHost, PublisherHost {
  readonly name: string;
  readonly logger: BrokerLogger;
  private model?: ChannelModel;
  private ready = false;
  private reconnecting = false;
  private closing = false;
  private waiters: Waiter[] = [];
  private adminChannel?: Promise<Channel>;
  private readonly topology = new TopologyRecord();
  private readonly consumers = new Set<AmqpConsumer>();
  private readonly knownExchanges = new Set<string>(['']);
  private readonly exchangeChecks = new Map<string, Promise<void>>();
  private readonly publisher: AmqpPublisher;
  private readonly connectionName: string;

  private constructor(private readonly options: AmqpBrokerConnectionOptions) {
    this.name = options.name ?? redactUrl(options.url);
    this.logger = options.logger ?? consoleBrokerLogger;
    this.connectionName = options.connectionName ?? `${CONNECTION_NAME_PREFIX}:${this.name}`;
    this.publisher = new AmqpPublisher(this);
  }

  /** Connects once (fails fast if the broker is unreachable); reconnects by itself afterwards. */
  static async connect(options: AmqpBrokerConnectionOptions): Promise<AmqpBrokerConnection> {
    const connection = new AmqpBrokerConnection(options);
    await connection.open();
    connection.ready = true;
    return connection;
  }

  async assert(topology: Topology): Promise<void> {
    await this.withAdminChannel((channel) => applyTopology(channel, topology));
    this.topology.add(topology);
    for (const exchange of topology.exchanges ?? []) this.knownExchanges.add(exchange.name);
  }

  async publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: PublishOptions = {},
  ): Promise<void> {
    // A publish to a missing exchange closes the channel it went on: check unknown exchanges
    // on the admin channel first so one bad publish cannot fail everyone else's in flight.
    if (!this.knownExchanges.has(exchange)) await this.checkExchange(exchange);
    return this.publisher.publish(exchange, routingKey, body, {
      persistent: options.persistent ?? true,
      headers: options.headers,
      correlationId: options.correlationId,
      replyTo: options.replyTo,
      messageId: options.messageId,
      contentType: options.contentType,
      expiration: options.expiration === undefined ? undefined : String(options.expiration),
    } satisfies Options.Publish);
  }

  async consume(
    queue: string,
    handler: DeliveryHandler,
    options: ConsumeOptions,
  ): Promise<Consumer> {
    const consumer = new AmqpConsumer(queue, handler, options, this);
    await consumer.ensureAttached();
    this.consumers.add(consumer);
    // Handlers usually settle through the consumer the caller is about to receive.
    setImmediate(() => consumer.release());
    return consumer;
  }

  async deleteQueue(queue: string): Promise<void> {
    await this.withAdminChannel((channel) => channel.deleteQueue(queue));
    this.topology.forgetQueue(queue);
  }

  async deleteExchange(exchange: string): Promise<void> {
    await this.withAdminChannel((channel) => channel.deleteExchange(exchange));
    this.topology.forgetExchange(exchange);
  }

  async queueDepth(queue: string): Promise<number> {
    const reply = await this.withAdminChannel((channel) => channel.checkQueue(queue));
    return reply.messageCount;
  }

  async queueConsumers(queue: string): Promise<number> {
    const reply = await this.withAdminChannel((channel) => channel.checkQueue(queue));
    return reply.consumerCount;
  }

  async browse(queue: string, max: number): Promise<StoredMessage[]> {
    return this.withOwnChannel(async (channel) => {
      const { messageCount } = await channel.checkQueue(queue);
      const found: StoredMessage[] = [];
      // Fetched unacknowledged: closing the channel puts every one back in its place.
      while (found.length < Math.min(messageCount, max)) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) break;
        found.push(storedMessage(message));
      }
      return found;
    });
  }

  async take(
    queue: string,
    count: number,
    handler: (message: StoredMessage) => Promise<void>,
  ): Promise<number> {
    return this.withOwnChannel(async (channel) => {
      let taken = 0;
      while (taken < count) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) break;
        // On failure the channel closes unacknowledged: the message stays at the head.
        await handler(storedMessage(message)).catch((error: unknown) => {
          throw new HandlerFailure(error);
        });
        channel.ack(message);
        taken++;
      }
      return taken;
    });
  }

  async purge(queue: string): Promise<number> {
    const reply = await this.withAdminChannel((channel) => channel.purgeQueue(queue));
    return reply.messageCount;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = BrokerError.of('CHANNEL_CLOSED', `connection ${this.name} closed`);
    for (const waiter of this.waiters.splice(0)) waiter.reject(closed);
    for (const consumer of [...this.consumers]) await consumer.close();
    await this.publisher.close(closed);
    const model = this.model;
    this.model = undefined;
    await model?.close().catch(() => undefined);
  }

  // ConsumerHost / PublisherHost

  async openChannel(): Promise<Channel> {
    return (await this.connected()).createChannel();
  }

  async openConfirmChannel(): Promise<ConfirmChannel> {
    return (await this.connected()).createConfirmChannel();
  }

  publishChannelFailed(): void {
    // Whatever exchange made it fail may be gone now: check again before the next publish.
    this.knownExchanges.clear();
    this.knownExchanges.add('');
  }

  reattachLater(consumer: AmqpConsumer): void {
    if (this.closing || !this.ready) return; // the reconnect loop resubscribes everyone
    const delay = this.newBackoff(this.options.reconnectDelayMs ?? RECONNECT_DELAY_MS).next();
    setTimeout(() => this.reattach(consumer), delay);
  }

  forget(consumer: AmqpConsumer): void {
    this.consumers.delete(consumer);
    // RabbitMQ drops an auto-delete queue with its last consumer: do not bring it back.
    const queueGone =
      this.topology.isAutoDeleted(consumer.queue) &&
      ![...this.consumers].some((c) => c.queue === consumer.queue);
    if (queueGone) this.topology.forgetQueue(consumer.queue);
  }

  // Connection lifecycle

  private async open(): Promise<void> {
    const url = new URL(this.options.url);
    if (!url.searchParams.has('heartbeat')) {
      url.searchParams.set('heartbeat', String(this.options.heartbeatS ?? DEFAULT_HEARTBEAT_S));
    }
    const tls = this.options.tls;
    const model = await connect(url.toString(), {
      clientProperties: { connection_name: this.connectionName },
      // amqplib hands these to tls.connect for amqps:// (ignored for amqp://).
      ...(tls && {
        ca: tls.ca && [tls.ca],
        cert: tls.cert,
        key: tls.key,
        passphrase: tls.passphrase,
      }),
    });
    model.on('error', (error: unknown) =>
      this.logger.warn(`${this.name}: connection error: ${errorText(error)}`),
    );
    model.on('close', () => this.onConnectionClosed(model));
    this.model = model;
  }

  private connected(): Promise<ChannelModel> {
    if (this.closing) {
      return Promise.reject(BrokerError.of('CHANNEL_CLOSED', `connection ${this.name} closed`));
    }
    if (this.model && this.ready) return Promise.resolve(this.model);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private onConnectionClosed(model: ChannelModel): void {
    if (this.model !== model || this.closing) return;
    this.model = undefined;
    this.ready = false;
    this.adminChannel = undefined;
    this.publisher.detach();
    if (this.reconnecting) return; // lost again while redeclaring: the loop tries again
    this.logger.warn(`${this.name}: connection lost, reconnecting`);
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    this.reconnecting = true;
    try {
      await this.reconnectWithBackoff();
    } finally {
      this.reconnecting = false;
    }
    if (this.closing || !this.model) return;
    this.ready = true;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(this.model);
    for (const consumer of this.consumers) this.reattach(consumer);
  }

  private async reconnectWithBackoff(): Promise<void> {
    const backoff = this.newBackoff(this.options.reconnectDelayMs ?? RECONNECT_DELAY_MS);
    while (!this.closing) {
      await sleep(backoff.next());
      if (this.closing) return;
      try {
        await this.open();
        await this.redeclare(this.model!);
        if (this.model) return;
      } catch (error) {
        this.logger.warn(`${this.name}: reconnect failed: ${redactUrl(errorText(error))}`);
        const failed = this.model;
        this.model = undefined;
        await failed?.close().catch(() => undefined);
      }
    }
  }

  private newBackoff(initialMs: number): ReconnectBackoff {
    const maxMs = this.options.maxReconnectDelayMs ?? MAX_RECONNECT_DELAY_MS;
    return new ReconnectBackoff(initialMs, maxMs, this.options.random);
  }

  private async redeclare(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    const { exchanges, queues, bindings } = this.topology.all();
    // One declaration at a time: a refused one closes the channel, so reopen and carry on.
    let current = channel;
    for (const part of [
      ...exchanges.map((e) => ({ exchanges: [e] })),
      ...queues.map((q) => ({ queues: [q] })),
      ...bindings.map((b) => ({ bindings: [b] })),
    ]) {
      try {
        await applyTopology(current, part);
      } catch (error) {
        this.logger.warn(`${this.name}: redeclare ${JSON.stringify(part)}: ${errorText(error)}`);
        current = await model.createChannel();
        current.on('error', () => undefined);
      }
    }
    await current.close().catch(() => undefined);
  }

  private reattach(consumer: AmqpConsumer): void {
    if (this.closing || !consumer.wantsMessages) return;
    consumer.ensureAttached().catch((error: unknown) => {
      this.logger.warn(`${this.name}: resubscribe ${consumer.queue}: ${errorText(error)}`);
      this.reattachLater(consumer);
    });
  }

  /** A channel of its own for an operation that holds messages unacknowledged while it runs. */
  private async withOwnChannel<T>(operation: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.openChannel();
    channel.on('error', () => undefined); // surfaced through the failed operation
    try {
      return await operation(channel);
    } catch (error) {
      if (error instanceof HandlerFailure) throw error.cause;
      throw BrokerError.from(error);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  // Admin channel (declarations, checks): reopened after a refused operation closed it.

  private async withAdminChannel<T>(operation: (channel: Channel) => Promise<T>): Promise<T> {
    const opening = this.adminChannelPromise();
    const channel = await opening;
    try {
      return await operation(channel);
    } catch (error) {
      if (!isChannelRefusal(error)) this.discardAdminChannel(opening, channel);
      throw BrokerError.from(error);
    }
  }

  /**
   * amqplib marks a channel as waiting for a reply before it encodes the request, so a request
   * it cannot encode (a name over 255 bytes) leaves the channel waiting forever and queues
   * every later operation behind it. Close it; the next operation opens a fresh one.
   */
  private discardAdminChannel(opening: Promise<Channel>, channel: Channel): void {
    if (this.adminChannel === opening) this.adminChannel = undefined;
    channel.close().catch(() => undefined);
  }

  private adminChannelPromise(): Promise<Channel> {
    if (!this.adminChannel) {
      const opening = this.openChannel().then((channel) => {
        channel.on('error', () => undefined); // surfaced through the failed operation
        channel.on('close', () => {
          if (this.adminChannel === opening) this.adminChannel = undefined;
        });
        return channel;
      });
      opening.catch(() => {
        if (this.adminChannel === opening) this.adminChannel = undefined;
      });
      this.adminChannel = opening;
    }
    return this.adminChannel;
  }

  private checkExchange(exchange: string): Promise<void> {
    let check = this.exchangeChecks.get(exchange);
    if (!check) {
      check = this.withAdminChannel((channel) => channel.checkExchange(exchange)).then(
        () => {
          this.knownExchanges.add(exchange);
          this.exchangeChecks.delete(exchange);
        },
        (error: unknown) => {
          this.exchangeChecks.delete(exchange);
          throw error;
        },
      );
      this.exchangeChecks.set(exchange, check);
    }
    return check;
  }
}

/** The caller's handler failed (not the broker): its error reaches the caller unchanged. */
class HandlerFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('handler failed');
  }
}

const storedMessage = (message: GetMessage): StoredMessage => ({
  body: message.content,
  exchange: message.fields.exchange,
  routingKey: message.fields.routingKey,
  headers: message.properties.headers ?? {},
});

/** The broker refused the operation and closed the channel itself (the reply carries a code). */
const isChannelRefusal = (error: unknown): boolean =>
  typeof (error as { code?: unknown } | null)?.code === 'number';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
