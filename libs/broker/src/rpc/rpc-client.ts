import { randomUUID } from 'node:crypto';
import { RuntimeUnavailable } from '@ruleshift/contracts';
import type { BrokerConnection, Consumer, Delivery } from '../broker-port';
import { JSON_CONTENT_TYPE, decodeJson, encodeJson } from '../json';

/** Replies in flight to the reply-queue consumer; replies are small, so a wide window is fine. */
const REPLY_PREFETCH = 1024;

interface PendingRequest {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over a broker: one exclusive, auto-deleted reply queue per client, requests
 * matched to replies by correlation id. A request nobody answers in time rejects with
 * RuntimeUnavailable naming the target; its message expires so a late server skips it.
 */
export class RpcClient {
  private readonly replyQueue: string;
  private readonly pending = new Map<string, PendingRequest>();
  private replyConsumer?: Promise<Consumer>;
  private closed = false;

  constructor(
    private readonly connection: BrokerConnection,
    replyQueuePrefix = 'ruleshift.rpc.reply',
  ) {
    this.replyQueue = `${replyQueuePrefix}.${randomUUID()}`;
  }

  async request<T>(
    exchange: string,
    routingKey: string,
    payload: unknown,
    timeoutMs: number,
  ): Promise<T> {
    const target = `${exchange || '(default exchange)'}/${routingKey}`;
    if (this.closed) throw new RuntimeUnavailable(target, 'rpc client is closed');
    await this.ensureReplyConsumer();
    const correlationId = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new RuntimeUnavailable(target, `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
    });
    try {
      await this.connection.publish(exchange, routingKey, encodeJson(payload), {
        correlationId,
        replyTo: this.replyQueue,
        contentType: JSON_CONTENT_TYPE,
        persistent: false,
        expiration: timeoutMs,
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
    await this.connection.assert({
      queues: [{ name: this.replyQueue, durable: false, exclusive: true, autoDelete: true }],
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
