import { RpcClient, type BrokerConnection } from '@ruleshift/broker';
import {
  ADAPTER_QUEUE,
  OperationPending,
  RuleshiftError,
  RuntimeUnavailable,
  type AdapterApi,
  type AdapterClient,
  type AdapterPattern,
  type AdapterReply,
  type AdapterRequest,
} from '@ruleshift/contracts';

export interface RpcAdapterClientOptions {
  /** The caller's deadline: how long the proxy waits for the adapter (ADAPTER_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Requests larger than this are refused before they reach the broker. */
  maxRequestBytes?: number;
}

export const DEFAULT_ADAPTER_TIMEOUT_MS = 30_000;
/** Above the HTTP body limit (5 MB), so only a request the API itself built could exceed it. */
export const DEFAULT_ADAPTER_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * Reaches the adapter over the core broker with RpcClient (request id, expiration and deadline
 * header = ADAPTER_TIMEOUT_MS). The adapter answers a result, a RuleshiftError body, or
 * `pending` (the operation outlives the deadline: OperationPending, HTTP 202). No reply at all
 * means the adapter never started the request and never will (it expired unread or was
 * dropped): RuntimeUnavailable, HTTP 503.
 */
export class RpcAdapterClient implements AdapterClient {
  private readonly timeoutMs: number;
  private readonly rpc: RpcClient;
  private queueDeclared?: Promise<void>;

  constructor(
    private readonly core: BrokerConnection,
    options: RpcAdapterClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ADAPTER_TIMEOUT_MS;
    this.rpc = new RpcClient(core, {
      replyQueuePrefix: 'ruleshift.proxy.reply',
      maxRequestBytes: options.maxRequestBytes ?? DEFAULT_ADAPTER_MAX_REQUEST_BYTES,
    });
  }

  async send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    await this.declareQueue(pattern);
    const envelope: AdapterRequest<P> = { pattern, request };
    let reply: AdapterReply<P>;
    try {
      reply = await this.rpc.request<AdapterReply<P>>('', ADAPTER_QUEUE, envelope, this.timeoutMs);
    } catch (error) {
      if (error instanceof RuntimeUnavailable) {
        throw new RuntimeUnavailable(
          'adapter',
          `no reply to ${pattern} within ${this.timeoutMs} ms; the request was not started`,
        );
      }
      throw error;
    }
    return this.unwrap(pattern, reply);
  }

  async close(): Promise<void> {
    await this.rpc.close();
  }

  /** Declared by both sides, so a request sent while the adapter is down waits for it. */
  private async declareQueue(pattern: AdapterPattern): Promise<void> {
    this.queueDeclared ??= this.core.assert({ queues: [{ name: ADAPTER_QUEUE, durable: true }] });
    try {
      await this.queueDeclared;
    } catch (error) {
      this.queueDeclared = undefined;
      throw new RuntimeUnavailable('adapter', `${pattern} not sent: ${errorMessage(error)}`);
    }
  }

  private unwrap<P extends AdapterPattern>(
    pattern: P,
    reply: AdapterReply<P>,
  ): AdapterApi[P]['response'] {
    if (reply?.ok === true) return reply.result;
    if (reply?.ok === 'pending') {
      throw new OperationPending(reply.pending.operation, reply.pending.jobId);
    }
    if (reply?.ok === false && RuleshiftError.isErrorBody(reply.error)) {
      throw RuleshiftError.fromJSON(reply.error);
    }
    throw new RuntimeUnavailable('adapter', `${pattern}: malformed reply from the adapter`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
