import { randomUUID } from 'node:crypto';
import { RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import type { BrokerConnection, Consumer, Delivery } from '../broker-port';
import { JSON_CONTENT_TYPE, decodeJson, encodeJson } from '../json';
import { deadlineHeaders } from './rpc-envelope';

/** Replies in flight to the reply-queue consumer; replies are small, so a wide window is fine. */
const REPLY_PREFETCH = 1024;

interface PendingRequest {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface RpcClientOptions {
  /** Prefix of the client's reply queue (a uuid follows). */
  replyQueuePrefix?: string;
  /**
   * A direct exchange servers reply through (the reply queue is bound to it by its own name),
   * for servers that may not publish on the default exchange: see ServeOptions.replyExchange.
   */
  replyExchange?: string;
  /**
   * Requests whose JSON is larger are refused here with VALIDATION_FAILED (field `body`),
   * before they reach the broker: one huge message must never stall the link for the others.
   */
  maxRequestBytes?: number;
  /** Epoch ms; a test clock in unit tests. */
  now?: () => number;
}

export interface RpcRequestOptions {
  /** Default: a new uuid. A caller retrying the same operation may reuse its id. */
  requestId?: string;
}

/**
 * Request/reply over a broker, by the envelope of `rpc-envelope.ts`: one exclusive,
 * auto-deleted reply queue per client, requests matched to replies by request id. The message
 * expires when the caller stops waiting, so a server that was down never runs a request its
 * caller was told failed; a request nobody answers in time rejects with RuntimeUnavailable
 * naming the target.
 */
export class RpcClient {
  private readonly replyQueue: string;
  private readonly replyExchange: string | undefined;
  private readonly pending = new Map<string, PendingRequest>();
  private replyConsumer?: Promise<Consumer>;
  private closed = false;

  private readonly maxRequestBytes?: number;
  private readonly now: () => number;

  constructor(
    private readonly connection: BrokerConnection,
    options: RpcClientOptions = {},
  ) {
    this.replyQueue = `${options.replyQueuePrefix ?? 'ruleshift.rpc.reply'}.${randomUUID()}`;
    this.maxRequestBytes = options.maxRequestBytes;
    this.replyExchange = options.replyExchange;
    this.now = options.now ?? Date.now;
  }

  async request<T>(
    exchange: string,
    routingKey: string,
    payload: unknown,
    timeoutMs: number,
    options: RpcRequestOptions = {},
  ): Promise<T> {
    const target = `${exchange || '(default exchange)'}/${routingKey}`;
    if (this.closed) throw new RuntimeUnavailable(target, 'rpc client is closed');
    const body = encodeJson(payload);
    if (this.maxRequestBytes !== undefined && body.length > this.maxRequestBytes) {
      throw new ValidationFailed([
        {
          field: 'body',
          reason: `${body.length} bytes is more than the ${this.maxRequestBytes} a request may carry`,
        },
      ]);
    }
    const deadline = this.now() + timeoutMs;
    try {
      await this.ensureReplyConsumer();
    } catch (error) {
      throw new RuntimeUnavailable(target, `no reply queue: ${errorMessage(error)}`);
    }
    const correlationId = options.requestId ?? randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(correlationId);
          reject(new RuntimeUnavailable(target, `no reply within ${timeoutMs} ms`));
        },
        Math.max(0, deadline - this.now()),
      );
      this.pending.set(correlationId, { resolve, reject, timer });
    });
    try {
      await this.connection.publish(exchange, routingKey, body, {
        messageId: correlationId,
        correlationId,
        replyTo: this.replyQueue,
        contentType: JSON_CONTENT_TYPE,
        persistent: false,
        // What is left of the wait once the reply queue is ready: never run after it.
        expiration: Math.max(1, deadline - this.now()),
        headers: deadlineHeaders(deadline),
      });
    } catch (error) {
      this.settle(correlationId)?.reject(
        new RuntimeUnavailable(target, `request not accepted by broker: ${errorMessage(error)}`),
      );
    }
    return (await reply) as T;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.pending.keys()]) {
      this.settle(id)?.reject(new RuntimeUnavailable('rpc', 'rpc client closed'));
    }
    const consumer = await this.replyConsumer?.catch(() => undefined);
    await consumer?.close();
  }

  private ensureReplyConsumer(): Promise<Consumer> {
    this.replyConsumer ??= this.openReplyConsumer();
    // A failed attempt (broker down) must not poison later requests.
    this.replyConsumer.catch(() => (this.replyConsumer = undefined));
    return this.replyConsumer;
  }

  private async openReplyConsumer(): Promise<Consumer> {
    const exchange = this.replyExchange;
    await this.connection.assert({
      exchanges: exchange ? [{ name: exchange, type: 'direct', durable: true }] : [],
      queues: [{ name: this.replyQueue, durable: false, exclusive: true, autoDelete: true }],
      bindings: exchange ? [{ queue: this.replyQueue, exchange, routingKey: this.replyQueue }] : [],
    });
    const consumer: Consumer = await this.connection.consume(
      this.replyQueue,
      (delivery) => {
        consumer.ack(delivery);
        this.onReply(delivery);
      },
      { prefetch: REPLY_PREFETCH, exclusive: true },
    );
    return consumer;
  }

  private onReply(delivery: Delivery): void {
    if (!delivery.correlationId) return;
    const pending = this.settle(delivery.correlationId);
    if (!pending) return; // late reply of a request that timed out
    try {
      pending.resolve(decodeJson(delivery.body));
    } catch (error) {
      pending.reject(new RuntimeUnavailable('rpc', `malformed reply: ${errorMessage(error)}`));
    }
  }

  private settle(correlationId: string): PendingRequest | undefined {
    const pending = this.pending.get(correlationId);
    if (!pending) return undefined;
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    return pending;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
