import type {
  ConsumeOptions,
  Consumer,
  Delivery,
  DeliveryHandler,
  Headers,
  QueueOverflow,
} from '../broker-port';
import { BrokerError } from '../broker-error';
import { SeqDeque } from '../deque';

/** A published message, shared by every queue it was routed to. */
export interface MessageData {
  readonly body: Buffer;
  readonly exchange: string;
  readonly routingKey: string;
  readonly headers: Headers;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly messageId?: string;
  readonly contentType?: string;
  readonly persistent: boolean;
  readonly expiration?: number;
}

/** One copy of a message in one queue. */
export interface QueuedMessage {
  readonly seq: number;
  readonly data: MessageData;
  readonly expiresAt: number | undefined;
  redelivered: boolean;
}

export type DeadLetterReason = 'rejected' | 'expired' | 'maxlen';

export interface QueueSettings {
  readonly name: string;
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly deadLetterExchange?: string;
  readonly deadLetterRoutingKey?: string;
  readonly messageTtlMs?: number;
  readonly maxLength?: number;
  readonly maxLengthBytes?: number;
  readonly overflow?: QueueOverflow;
}

/** The bounds a queue enforces: what it declared, else the broker's defaults (a policy). */
export interface QueueLimits {
  readonly maxLength: number;
  readonly maxLengthBytes: number;
  readonly overflow: QueueOverflow;
}

/** What a queue needs from its vhost. */
export interface QueueHost {
  now(): number;
  scheduleDispatch(queue: InMemoryQueue): void;
  deadLetter(queue: InMemoryQueue, message: QueuedMessage, reason: DeadLetterReason): void;
  lastConsumerGone(queue: InMemoryQueue): void;
  handlerFailed(error: unknown, queue: string): void;
}

export class InMemoryQueue {
  private readonly ready = new SeqDeque<QueuedMessage>();
  private readyBytes = 0;
  private consumers: InMemoryConsumer[] = [];
  private nextConsumer = 0;
  private nextSeq = 1;
  deleted = false;

  constructor(
    readonly settings: QueueSettings,
    /** Session that owns an exclusive queue. */
    readonly owner: object | undefined,
    private readonly host: QueueHost,
    readonly limits: QueueLimits,
  ) {}

  get name(): string {
    return this.settings.name;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  /** True when this queue refuses `data` (full under `reject-publish`). */
  refuses(data: MessageData): boolean {
    if (this.limits.overflow !== 'reject-publish') return false;
    this.dropExpiredHead();
    return (
      this.ready.length + 1 > this.limits.maxLength ||
      this.readyBytes + data.body.length > this.limits.maxLengthBytes
    );
  }

  enqueue(data: MessageData): void {
    const ttl = minDefined(data.expiration, this.settings.messageTtlMs);
    const expiresAt = ttl === undefined ? undefined : this.host.now() + ttl;
    this.pushReady({ seq: this.nextSeq++, data, expiresAt, redelivered: false });
    this.dropHeadOverLimit();
    if (this.consumers.length > 0) this.host.scheduleDispatch(this);
  }

  /** A message kept from an earlier run of the process, behind those already here. */
  restore(data: MessageData, expiresAt: number | undefined, redelivered: boolean): void {
    this.pushReady({ seq: this.nextSeq++, data, expiresAt, redelivered });
    if (this.consumers.length > 0) this.host.scheduleDispatch(this);
  }

  /** Ready messages in order with their expiry (what a snapshot keeps). */
  readyQueued(): QueuedMessage[] {
    this.dropExpiredHead();
    const found: QueuedMessage[] = [];
    for (let i = 0; i < this.ready.length; i++) found.push(this.ready.at(i)!);
    return found;
  }

  requeue(message: QueuedMessage): void {
    if (this.deleted) return;
    message.redelivered = true;
    this.ready.insertInOrder(message);
    this.readyBytes += message.data.body.length;
    if (this.consumers.length > 0) this.host.scheduleDispatch(this);
  }

  creditFreed(): void {
    if (this.ready.length > 0) this.host.scheduleDispatch(this);
  }

  depth(): number {
    this.dropExpiredHead();
    return this.ready.length;
  }

  /** The oldest `max` ready messages, left in the queue. */
  readyMessages(max: number): MessageData[] {
    this.dropExpiredHead();
    const found: MessageData[] = [];
    for (let i = 0; i < Math.min(max, this.ready.length); i++) found.push(this.ready.at(i)!.data);
    return found;
  }

  /** Removes the head message for a taker, who returns it with `putBack` if it keeps it not. */
  takeHead(): QueuedMessage | undefined {
    this.dropExpiredHead();
    return this.shiftReady();
  }

  /** A taken message returns to its place (its seq orders it before newer ones). */
  putBack(message: QueuedMessage): void {
    if (this.deleted) return;
    this.ready.insertInOrder(message);
    this.readyBytes += message.data.body.length;
    if (this.consumers.length > 0) this.host.scheduleDispatch(this);
  }

  /** Drops every ready message (queue.purge); unacked deliveries stay with their consumers. */
  purge(): number {
    const purged = this.ready.clear().length;
    this.readyBytes = 0;
    return purged;
  }

  addConsumer(handler: DeliveryHandler, options: ConsumeOptions): InMemoryConsumer {
    if (this.consumers.some((c) => c.exclusive) || (options.exclusive && this.consumers.length)) {
      throw BrokerError.of('ACCESS_REFUSED', `queue '${this.name}' has an exclusive consumer`);
    }
    const consumer = new InMemoryConsumer(this, handler, options, this.host);
    this.consumers.push(consumer);
    this.host.scheduleDispatch(this);
    return consumer;
  }

  removeConsumer(consumer: InMemoryConsumer): void {
    const before = this.consumers.length;
    this.consumers = this.consumers.filter((c) => c !== consumer);
    if (before > 0 && this.consumers.length === 0) this.host.lastConsumerGone(this);
  }

  /** Delivers up to `budget` messages round-robin to consumers with credit; returns how many. */
  dispatch(budget: number): number {
    let delivered = 0;
    while (delivered < budget && this.ready.length > 0) {
      const consumer = this.nextConsumerWithCredit();
      if (!consumer) break;
      const message = this.shiftReady()!;
      if (message.expiresAt !== undefined && message.expiresAt <= this.host.now()) {
        this.host.deadLetter(this, message, 'expired');
        continue;
      }
      consumer.deliver(message);
      delivered++;
    }
    return delivered;
  }

  /** Drops everything (queue deleted); consumers are told nothing more will come. */
  destroy(): void {
    this.deleted = true;
    this.ready.clear();
    this.readyBytes = 0;
    for (const consumer of this.consumers) consumer.detach();
    this.consumers = [];
  }

  private nextConsumerWithCredit(): InMemoryConsumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const index = (this.nextConsumer + i) % n;
      const consumer = this.consumers[index];
      if (consumer.hasCredit) {
        this.nextConsumer = (index + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  private dropExpiredHead(): void {
    const now = this.host.now();
    for (let head = this.ready.peek(); head?.expiresAt !== undefined && head.expiresAt <= now;) {
      this.host.deadLetter(this, this.shiftReady()!, 'expired');
      head = this.ready.peek();
    }
  }

  /** `drop-head`: the oldest ready messages make room, dead-lettered as `maxlen`. */
  private dropHeadOverLimit(): void {
    if (this.limits.overflow !== 'drop-head') return;
    while (
      this.ready.length > this.limits.maxLength ||
      (this.readyBytes > this.limits.maxLengthBytes && this.ready.length > 0)
    ) {
      this.host.deadLetter(this, this.shiftReady()!, 'maxlen');
    }
  }

  private pushReady(message: QueuedMessage): void {
    this.ready.push(message);
    this.readyBytes += message.data.body.length;
  }

  private shiftReady(): QueuedMessage | undefined {
    const message = this.ready.shift();
    if (message) this.readyBytes -= message.data.body.length;
    return message;
  }
}

export class InMemoryConsumer implements Consumer {
  private readonly unacked = new Map<number, QueuedMessage>();
  private readonly prefetch: number;
  private nextTag = 1;
  private receiving = true;
  private open = true;
  readonly exclusive: boolean;

  constructor(
    private readonly source: InMemoryQueue,
    private readonly handler: DeliveryHandler,
    options: ConsumeOptions,
    private readonly host: QueueHost,
  ) {
    this.prefetch = options.prefetch > 0 ? options.prefetch : Number.POSITIVE_INFINITY;
    this.exclusive = options.exclusive ?? false;
  }

  get queue(): string {
    return this.source.name;
  }

  get hasCredit(): boolean {
    return this.receiving && this.unacked.size < this.prefetch;
  }

  get unackedCount(): number {
    return this.unacked.size;
  }

  deliver(message: QueuedMessage): void {
    const deliveryTag = this.nextTag++;
    this.unacked.set(deliveryTag, message);
    const { data } = message;
    const delivery: Delivery = {
      body: data.body,
      exchange: data.exchange,
      routingKey: data.routingKey,
      headers: data.headers,
      correlationId: data.correlationId,
      replyTo: data.replyTo,
      messageId: data.messageId,
      redelivered: message.redelivered,
      deliveryTag,
    };
    try {
      this.handler(delivery);
    } catch (error) {
      this.host.handlerFailed(error, this.queue);
    }
  }

  ack(delivery: Delivery, allUpTo = false): void {
    if (!this.open) return;
    if (allUpTo) {
      this.requireUnacked(delivery.deliveryTag);
      for (const tag of this.unacked.keys()) {
        if (tag > delivery.deliveryTag) break;
        this.unacked.delete(tag);
      }
    } else {
      this.requireUnacked(delivery.deliveryTag);
      this.unacked.delete(delivery.deliveryTag);
    }
    this.source.creditFreed();
  }

  nack(delivery: Delivery, requeue: boolean): void {
    if (!this.open) return;
    const message = this.requireUnacked(delivery.deliveryTag);
    this.unacked.delete(delivery.deliveryTag);
    if (requeue) this.source.requeue(message);
    else this.host.deadLetter(this.source, message, 'rejected');
    this.source.creditFreed();
  }

  /** Acks apply synchronously in process; an ack on a closed consumer was a no-op. */
  acksLanded(): Promise<boolean> {
    return Promise.resolve(this.open);
  }

  cancel(): Promise<void> {
    if (this.receiving) {
      this.receiving = false;
      this.source.removeConsumer(this);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.open) return Promise.resolve();
    this.receiving = false;
    this.open = false;
    // Requeue in delivery order so the queue keeps the original order.
    const unsettled = [...this.unacked.values()];
    this.unacked.clear();
    for (const message of unsettled) this.source.requeue(message);
    this.source.removeConsumer(this);
    return Promise.resolve();
  }

  /** The queue was deleted: like a server-side basic.cancel, settling becomes a no-op. */
  detach(): void {
    this.receiving = false;
    this.open = false;
    this.unacked.clear();
  }

  private requireUnacked(tag: number): QueuedMessage {
    const message = this.unacked.get(tag);
    if (!message) {
      throw BrokerError.of('PRECONDITION_FAILED', `unknown delivery tag ${tag} on '${this.queue}'`);
    }
    return message;
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
