import { RuleshiftError } from '@ruleshift/contracts';
import type { BrokerConnection, Consumer, Delivery } from '../broker-port';
import { JSON_CONTENT_TYPE, decodeJson, encodeJson } from '../json';
import { type RpcRequestContext, readDeadline } from './rpc-envelope';
import { RequestLedger, type RequestRun } from './request-ledger';

export type RpcHandler = (payload: unknown, context: RpcRequestContext) => Promise<unknown>;

/**
 * A handler that resolves with this sends no reply (the request is still acked): for requests
 * it refuses to acknowledge at all, such as a command whose signature does not verify, whose
 * `replyTo` must not make the server publish wherever a forger points it.
 */
export const NO_REPLY: unique symbol = Symbol('NO_REPLY');

/** What a throwing handler replies with (the same shape as AgentReply's failure). */
export interface RpcErrorReply {
  ok: false;
  error: { code: string; message: string; errors?: RuleshiftError['errors'] };
}

export interface ServeOptions {
  /** Requests handled concurrently: a request is acked only once handled and answered. */
  prefetch?: number;
  /**
   * A request with less than this left before its deadline is dropped unanswered (acked,
   * counted, logged): starting it could not end before the caller stops waiting.
   */
  startMarginMs?: number;
  /**
   * With `interimReply`: how long before the deadline the interim reply leaves, so that it
   * reaches the caller while it still waits.
   */
  replyMarginMs?: number;
  /**
   * The reply sent when the handler is still running `replyMarginMs` before the deadline; the
   * handler goes on, and its request stays unacked (and counts against prefetch) until it ends.
   * Without it, the server simply replies when the handler ends.
   */
  interimReply?: (payload: unknown, context: RpcRequestContext) => unknown;
  /** Requests larger than this are answered with VALIDATION_FAILED, unparsed. */
  maxRequestBytes?: number;
  /** Told about every dropped request (why, and its id). */
  onDropped?: (reason: string, context: RpcRequestContext) => void;
  /**
   * Reply through this exchange (routing key = the request's `replyTo`) instead of the default
   * exchange: a server whose broker user may not write to `amq.default` (which would let it
   * publish into any queue) can still answer clients created with the same replyExchange.
   */
  replyExchange?: string;
}

export interface RpcServerStats {
  /** Requests dropped because their deadline had passed or was too close. */
  dropped: number;
  /** Deliveries of a request already running or answered (joined, not run again). */
  duplicates: number;
  /** Handlers running now. */
  running: number;
}

const DEFAULT_RPC_PREFETCH = 16;
export const DEFAULT_START_MARGIN_MS = 500;
export const DEFAULT_REPLY_MARGIN_MS = 250;

/**
 * Answers requests arriving on a queue (the queue must already exist), by the envelope of
 * `rpc-envelope.ts`: an expired request is dropped, a redelivered one joins its first run, and
 * a request is acked only after its reply is confirmed and its handler has ended, so prefetch
 * bounds the handlers running at once and a server that dies mid-request leaves it to be
 * redelivered (and dropped, once its deadline has passed).
 */
export class RpcServer {
  private readonly consumers: Consumer[] = [];
  private readonly ledger: RequestLedger;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly counters = { dropped: 0, duplicates: 0, running: 0 };

  constructor(
    private readonly connection: BrokerConnection,
    private readonly now: () => number = Date.now,
  ) {
    this.ledger = new RequestLedger(now);
  }

  get stats(): RpcServerStats {
    return { ...this.counters };
  }

  async serve(queue: string, handler: RpcHandler, options: ServeOptions = {}): Promise<Consumer> {
    const consumer: Consumer = await this.connection.consume(
      queue,
      (delivery) => this.track(this.handle(consumer, delivery, handler, options)),
      { prefetch: options.prefetch ?? DEFAULT_RPC_PREFETCH },
    );
    this.consumers.push(consumer);
    return consumer;
  }

  /** Stops taking requests, lets the running ones end and answer, then closes the consumers. */
  async close(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((c) => c.cancel().catch(() => undefined)));
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    for (const consumer of consumers) await consumer.close();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(
    consumer: Consumer,
    delivery: Delivery,
    handler: RpcHandler,
    options: ServeOptions,
  ): Promise<void> {
    const context: RpcRequestContext = {
      requestId: delivery.messageId,
      deadline: readDeadline(delivery.headers),
      delivery,
    };
    const startMargin = options.startMarginMs ?? DEFAULT_START_MARGIN_MS;
    if (context.deadline !== undefined && context.deadline - this.now() < startMargin) {
      this.counters.dropped++;
      options.onDropped?.(
        `deadline ${new Date(context.deadline).toISOString()} passed or too close`,
        context,
      );
      consumer.ack(delivery);
      return;
    }
    const run = this.runFor(delivery, handler, options, context);
    const reply = await run.reply;
    if (delivery.replyTo && reply !== NO_REPLY) {
      try {
        await this.connection.publish(
          options.replyExchange ?? '',
          delivery.replyTo,
          encodeJson(reply),
          {
            correlationId: delivery.correlationId,
            contentType: JSON_CONTENT_TYPE,
            persistent: false,
          },
        );
      } catch {
        // The caller will time out; requeueing could spin on a broken reply path. The handler
        // still runs to its end: the operation it started must not be left half done.
        await run.settled;
        consumer.nack(delivery, false);
        return;
      }
    }
    await run.settled;
    consumer.ack(delivery);
  }

  private runFor(
    delivery: Delivery,
    handler: RpcHandler,
    options: ServeOptions,
    context: RpcRequestContext,
  ): RequestRun {
    const id = context.requestId;
    const known = id === undefined ? undefined : this.ledger.get(id);
    if (known) {
      this.counters.duplicates++;
      return known;
    }
    const run = this.start(delivery, handler, options, context);
    if (id !== undefined) this.ledger.add(id, run);
    return run;
  }

  private start(
    delivery: Delivery,
    handler: RpcHandler,
    options: ServeOptions,
    context: RpcRequestContext,
  ): RequestRun {
    this.counters.running++;
    const result = this.answer(delivery, handler, options, context);
    const settled = result.then(() => {
      run.done = true;
      this.counters.running--;
    });
    const run: RequestRun = {
      reply: this.withInterim(result, options, context),
      settled,
      deadline: context.deadline,
      done: false,
    };
    return run;
  }

  /** The handler's result, or the interim reply if the handler is still running near the deadline. */
  private withInterim(
    result: Promise<unknown>,
    options: ServeOptions,
    context: RpcRequestContext,
  ): Promise<unknown> {
    const { interimReply } = options;
    if (interimReply === undefined || context.deadline === undefined) return result;
    const replyAt = context.deadline - (options.replyMarginMs ?? DEFAULT_REPLY_MARGIN_MS);
    let timer: NodeJS.Timeout | undefined;
    const interim = new Promise<unknown>((resolve) => {
      timer = setTimeout(
        () => resolve(this.interim(interimReply, context)),
        Math.max(0, replyAt - this.now()),
      );
    });
    void result.finally(() => clearTimeout(timer));
    return Promise.race([result, interim]);
  }

  private interim(
    interimReply: NonNullable<ServeOptions['interimReply']>,
    context: RpcRequestContext,
  ): unknown {
    try {
      return interimReply(this.payloadOf(context.delivery), context);
    } catch (error) {
      return toErrorReply(error);
    }
  }

  private async answer(
    delivery: Delivery,
    handler: RpcHandler,
    options: ServeOptions,
    context: RpcRequestContext,
  ): Promise<unknown> {
    try {
      if (options.maxRequestBytes !== undefined && delivery.body.length > options.maxRequestBytes) {
        throw new RuleshiftError('VALIDATION_FAILED', 'request too large', [
          {
            field: 'body',
            reason: `${delivery.body.length} bytes is more than the ${options.maxRequestBytes} this service accepts`,
          },
        ]);
      }
      return await handler(this.payloadOf(delivery), context);
    } catch (error) {
      return toErrorReply(error);
    }
  }

  private payloadOf(delivery: Delivery): unknown {
    try {
      return decodeJson(delivery.body);
    } catch {
      throw new RuleshiftError('VALIDATION_FAILED', 'request is not JSON', [
        { field: 'body', reason: 'is not JSON' },
      ]);
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
