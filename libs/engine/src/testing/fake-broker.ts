/**
 * A tiny scriptable broker for the engine's unit tests: deliveries are pushed by the test,
 * publishes are recorded and confirmed automatically or when the test says so, and acks are
 * recorded per consumer (with allUpTo expanded) so ordering and coalescing can be asserted.
 */
import type {
  BrokerConnection,
  BrokerRegistry,
  ConsumeOptions,
  Consumer,
  Delivery,
  DeliveryHandler,
  PublishOptions,
  StoredMessage,
} from '@ruleshift/broker';

export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options: PublishOptions;
  /** Parsed body, for assertions. */
  json: () => unknown;
}

interface PendingConfirm {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class FakeConsumer implements Consumer {
  readonly acks: { tag: number; allUpTo: boolean }[] = [];
  readonly nacks: number[] = [];
  cancelled = false;
  closed = false;
  /** false: acksLanded() waits for landAcks() (the broker has not processed the acks yet). */
  autoLand = true;
  private nextTag = 1;
  private firstLiveTag = 1;
  private landing: ((landed: boolean) => void)[] = [];

  constructor(
    readonly queue: string,
    readonly handler: DeliveryHandler,
    readonly options: ConsumeOptions,
  ) {}

  deliver(
    body: string | Buffer,
    routing: {
      exchange?: string;
      routingKey?: string;
      redelivered?: boolean;
      messageId?: string;
    } = {},
  ): Delivery {
    if (this.cancelled || this.closed)
      throw new Error(`consumer of ${this.queue} no longer receives`);
    const delivery: Delivery = {
      body: typeof body === 'string' ? Buffer.from(body) : body,
      exchange: routing.exchange ?? 'in.exchange',
      routingKey: routing.routingKey ?? 'in.key',
      headers: {},
      redelivered: routing.redelivered ?? false,
      messageId: routing.messageId,
      deliveryTag: this.nextTag++,
    };
    this.handler(delivery);
    return delivery;
  }

  ack(delivery: Delivery, allUpTo = false): void {
    if (delivery.deliveryTag < this.firstLiveTag) return; // of a lost channel: a no-op
    this.acks.push({ tag: delivery.deliveryTag, allUpTo });
  }

  /**
   * The channel was lost (the consumer re-attaches by itself, as AmqpConsumer does after a
   * reconnect): earlier deliveries can no longer be acked, and the owner is told at once.
   */
  loseChannel(): void {
    this.firstLiveTag = this.nextTag;
    this.options.onChannelLost?.();
    for (const answer of this.landing.splice(0)) answer(false);
  }

  acksLanded(): Promise<boolean> {
    if (this.autoLand) return Promise.resolve(true);
    return new Promise((resolve) => this.landing.push(resolve));
  }

  /** The broker answers the round trip: every ack made before acksLanded() was processed. */
  landAcks(): void {
    for (const answer of this.landing.splice(0)) answer(true);
  }

  nack(delivery: Delivery): void {
    this.nacks.push(delivery.deliveryTag);
  }

  /** Every tag acked so far, in the order the acks covered them. */
  ackedTags(): number[] {
    const tags = new Set<number>();
    for (const { tag, allUpTo } of this.acks) {
      // allUpTo covers every earlier unacked tag; earlier acks never exceed the highest seen.
      if (allUpTo) for (let t = 1; t < tag; t++) tags.add(t);
      tags.add(tag);
    }
    return [...tags];
  }

  cancel(): Promise<void> {
    this.cancelled = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

export class FakeBrokerConnection implements BrokerConnection {
  readonly published: PublishedMessage[] = [];
  readonly consumers: FakeConsumer[] = [];
  /** false: publishes wait for confirm()/confirmAll(). */
  autoConfirm = true;
  /** When set, publishes are refused with this error (a failed channel). */
  publishError?: Error;
  consumeError?: Error;
  private readonly unconfirmed: PendingConfirm[] = [];

  constructor(readonly name: string) {}

  assert(): Promise<void> {
    return Promise.resolve();
  }

  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: PublishOptions = {},
  ): Promise<void> {
    if (this.publishError) return Promise.reject(this.publishError);
    const text = body.toString('utf8');
    this.published.push({
      exchange,
      routingKey,
      body,
      options,
      json: () => JSON.parse(text) as unknown,
    });
    if (this.autoConfirm) return Promise.resolve();
    return new Promise((resolve, reject) => this.unconfirmed.push({ resolve, reject }));
  }

  get unconfirmedCount(): number {
    return this.unconfirmed.length;
  }

  /** Confirms the oldest `count` unconfirmed publishes. */
  confirm(count = 1): void {
    for (const pending of this.unconfirmed.splice(0, count)) pending.resolve();
  }

  confirmAll(): void {
    this.confirm(this.unconfirmed.length);
  }

  rejectAll(error: Error): void {
    for (const pending of this.unconfirmed.splice(0)) pending.reject(error);
  }

  consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Consumer> {
    if (this.consumeError) return Promise.reject(this.consumeError);
    const consumer = new FakeConsumer(queue, handler, options);
    this.consumers.push(consumer);
    return Promise.resolve(consumer);
  }

  /** The live consumer of `queue` (the newest one). */
  consumerOf(queue: string): FakeConsumer {
    const found = this.consumers.filter((c) => c.queue === queue).at(-1);
    if (!found) throw new Error(`no consumer on ${queue}`);
    return found;
  }

  publishedTo(exchange: string): PublishedMessage[] {
    return this.published.filter((message) => message.exchange === exchange);
  }

  deleteQueue(): Promise<void> {
    return Promise.resolve();
  }

  deleteExchange(): Promise<void> {
    return Promise.resolve();
  }

  queueDepth(): Promise<number> {
    return Promise.resolve(0);
  }

  queueConsumers(): Promise<number> {
    return Promise.resolve(0);
  }

  browse(): Promise<StoredMessage[]> {
    return Promise.resolve([]);
  }

  take(): Promise<number> {
    return Promise.resolve(0);
  }

  purge(): Promise<number> {
    return Promise.resolve(0);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class FakeBrokerRegistry implements BrokerRegistry {
  readonly connections = new Map<string, FakeBrokerConnection>();
  unreachable?: Error;

  connection(endpoint: string): FakeBrokerConnection {
    let connection = this.connections.get(endpoint);
    if (!connection) {
      connection = new FakeBrokerConnection(endpoint);
      this.connections.set(endpoint, connection);
    }
    return connection;
  }

  get(endpoint: string): Promise<BrokerConnection> {
    if (this.unreachable) return Promise.reject(this.unreachable);
    return Promise.resolve(this.connection(endpoint));
  }

  validateEndpoint(): void {}

  closeAll(): Promise<void> {
    return Promise.resolve();
  }
}

/** Lets queued microtasks and promise callbacks run. */
export const flushMicrotasks = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
