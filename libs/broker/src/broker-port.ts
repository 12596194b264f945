/**
 * The broker as the rest of ruleshift sees it. Two implementations: RabbitMQ through amqplib
 * (production, integration tests) and an in-process broker (the embedded default of
 * `npm start`, the paper's OSGi Event Admin option). Everything above this file is written
 * against these interfaces only.
 */
import type { ExchangeType } from '@ruleshift/contracts';

export type Headers = Record<string, unknown>;

export interface PublishOptions {
  headers?: Headers;
  /** Default true: delivery mode 2, survives a broker restart on durable queues. */
  persistent?: boolean;
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
  contentType?: string;
  /** Per-message TTL in ms. */
  expiration?: number;
}

export interface Delivery {
  readonly body: Buffer;
  readonly exchange: string;
  readonly routingKey: string;
  readonly headers: Headers;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly messageId?: string;
  readonly redelivered: boolean;
  /** Per-consumer, increasing; what ack/nack refer to. */
  readonly deliveryTag: number;
}

export interface ConsumeOptions {
  /** Unacked messages in flight to this consumer. */
  prefetch: number;
  exclusive?: boolean;
  /**
   * The consumer lost its channel (connection dropped, channel closed by the broker) and will
   * re-attach by itself: every delivery not acked so far comes again, first and flagged
   * `redelivered`, and settling one of them is a no-op from now on (an ack made after the
   * loss is lost too, so this is called at the loss, before any other call on the consumer).
   */
  onChannelLost?: () => void;
}

export type DeliveryHandler = (delivery: Delivery) => void;

/** A message as it waits in a queue (read by `browse`, handed over by `take`). */
export interface StoredMessage {
  readonly body: Buffer;
  /** Where it was published to. */
  readonly exchange: string;
  readonly routingKey: string;
  readonly headers: Headers;
}

export interface Consumer {
  readonly queue: string;
  ack(delivery: Delivery, allUpTo?: boolean): void;
  nack(delivery: Delivery, requeue: boolean): void;
  /**
   * Whether the broker has processed every ack and nack made so far on this consumer: true once
   * a round trip on its channel, sent after them, is answered (the broker handles a channel's
   * frames in order); false when the channel is lost first. A broker that closes a connection
   * discards whatever the client sends after its close began, so an ack made just before a loss
   * may never land: its deliveries come again, flagged `redelivered`, with the unacked ones.
   */
  acksLanded(): Promise<boolean>;
  /**
   * Stops new deliveries (basic.cancel). Messages already delivered stay the caller's to
   * settle; `close()` afterwards returns any unsettled ones to the queue.
   */
  cancel(): Promise<void>;
  /** Closes the consumer's channel: unsettled deliveries go back to the queue. */
  close(): Promise<void>;
}

export interface ExchangeSpec {
  name: string;
  /** `x-consistent-hash`: RabbitMQ's plugin exchange; the in-process broker refuses it. */
  type: ExchangeType | 'x-consistent-hash';
  durable?: boolean;
  /** Consistent-hash exchange: hash this header instead of the routing key (`hash-header`). */
  hashHeader?: string;
  /** Consistent-hash exchange: hash this message property (`hash-property`). */
  hashProperty?: string;
}

export interface QueueSpec {
  name: string;
  durable?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
  deadLetterExchange?: string;
  /** Routing key of dead-lettered messages (default: the message's own routing key). */
  deadLetterRoutingKey?: string;
  messageTtlMs?: number;
  /** Ready messages kept at most (`x-max-length`). */
  maxLength?: number;
  /** Ready message bodies kept at most, in bytes (`x-max-length-bytes`). */
  maxLengthBytes?: number;
  /** What a full queue does (`x-overflow`); RabbitMQ's default is `drop-head`. */
  overflow?: QueueOverflow;
}

/**
 * `drop-head`: the oldest ready message is dropped (dead-lettered with reason `maxlen` when the
 * queue has a dead-letter exchange). `reject-publish`: the new message is refused and its
 * publish rejected (a nack with publisher confirms).
 */
export type QueueOverflow = 'drop-head' | 'reject-publish';

export interface BindingSpec {
  queue: string;
  exchange: string;
  routingKey: string;
}

/** Routes what `source` routes with `routingKey` on to the exchange `destination`. */
export interface ExchangeBindingSpec {
  destination: string;
  source: string;
  routingKey: string;
}

export interface Topology {
  exchanges?: ExchangeSpec[];
  queues?: QueueSpec[];
  bindings?: BindingSpec[];
  exchangeBindings?: ExchangeBindingSpec[];
}

/** One broker (one vhost). */
export interface BrokerConnection {
  /** Credential-free name: `edge`, `core` or `amqp://host:port/vhost`. */
  readonly name: string;
  /** Declares exchanges, queues and bindings; idempotent, creates what is missing. */
  assert(topology: Topology): Promise<void>;
  /** Resolves once the broker confirmed the message (publisher confirms). */
  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options?: PublishOptions,
  ): Promise<void>;
  consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Consumer>;
  deleteQueue(queue: string): Promise<void>;
  /** Deletes an exchange and its bindings; deleting one that is gone succeeds. */
  deleteExchange(exchange: string): Promise<void>;
  /** Messages ready in a queue (for tests, metrics and move checks). */
  queueDepth(queue: string): Promise<number>;
  /** Consumers attached to a queue (the placement policy: is a rule still consuming?). */
  queueConsumers(queue: string): Promise<number>;
  /**
   * Every message ready in `queue` (at most `max`, the oldest first), left where it is. On
   * RabbitMQ the messages are fetched unacknowledged and handed back in their place at the end.
   */
  browse(queue: string, max: number): Promise<StoredMessage[]>;
  /**
   * Takes up to `count` messages off the head of `queue`, one at a time, oldest first: each is
   * removed only once `handler` resolved for it. When `handler` rejects, that message stays at
   * the head and the rejection is thrown. Resolves with how many were taken.
   */
  take(
    queue: string,
    count: number,
    handler: (message: StoredMessage) => Promise<void>,
  ): Promise<number>;
  /** Removes every ready message of `queue`; resolves with how many. */
  purge(queue: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Resolves connector endpoints (`edge`, `core`, or `amqp://host:port/vhost`) to connections.
 * Credentials come from server configuration only and never appear in `name`.
 */
export interface BrokerRegistry {
  get(endpoint: string): Promise<BrokerConnection>;
  /** Throws a ValidationFailed naming `field` when the endpoint is unknown or malformed. */
  validateEndpoint(endpoint: string, field: string): void;
  closeAll(): Promise<void>;
}
