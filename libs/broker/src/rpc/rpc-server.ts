import { RuleshiftError } from '@ruleshift/contracts';
import type { BrokerConnection, Consumer, Delivery } from '../broker-port';
import { JSON_CONTENT_TYPE, decodeJson, encodeJson } from '../json';

export type RpcHandler = (payload: unknown, delivery: Delivery) => Promise<unknown>;

/** What a throwing handler replies with (the same shape as AgentReply's failure). */
export interface RpcErrorReply {
  ok: false;
  error: { code: string; message: string; errors?: RuleshiftError['errors'] };
}

export interface ServeOptions {
  /** Requests handled concurrently. */
  prefetch?: number;
}

const DEFAULT_RPC_PREFETCH = 16;

/**
 * Answers requests arriving on a queue (the queue must already exist). Each reply goes to the
 * request's replyTo with its correlationId; the request is acked once the reply is confirmed,
 * so a server that dies mid-request leaves it to be redelivered (handlers must be idempotent).
 */
export class RpcServer {
  private readonly consumers: Consumer[] = [];

  constructor(private readonly connection: BrokerConnection) {}

  async serve(queue: string, handler: RpcHandler, options: ServeOptions = {}): Promise<Consumer> {
    const consumer: Consumer = await this.connection.consume(
      queue,
      (delivery) => void this.handle(consumer, delivery, handler),
      { prefetch: options.prefetch ?? DEFAULT_RPC_PREFETCH },
    );
    this.consumers.push(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    for (const consumer of this.consumers.splice(0)) await consumer.close();
  }

  private async handle(consumer: Consumer, delivery: Delivery, handler: RpcHandler): Promise<void> {
    const reply = await this.answer(delivery, handler);
    if (!delivery.replyTo) {
      consumer.ack(delivery);
      return;
    }
    try {
      await this.connection.publish('', delivery.replyTo, encodeJson(reply), {
        correlationId: delivery.correlationId,
        contentType: JSON_CONTENT_TYPE,
        persistent: false,
      });
      consumer.ack(delivery);
    } catch {
      // The caller will time out and may retry; requeueing could spin on a broken reply path.
      consumer.nack(delivery, false);
    }
  }

  private async answer(delivery: Delivery, handler: RpcHandler): Promise<unknown> {
    try {
      return await handler(decodeJson(delivery.body), delivery);
    } catch (error) {
      return toErrorReply(error);
    }
  }
}

export function toErrorReply(error: unknown): RpcErrorReply {
  if (error instanceof RuleshiftError) {
    return { ok: false, error: { code: error.code, message: error.message, errors: error.errors } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: 'INTERNAL', message } };
}
