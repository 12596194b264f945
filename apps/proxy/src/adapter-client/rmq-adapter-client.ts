import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import {
  ADAPTER_QUEUE,
  RuleshiftError,
  RuntimeUnavailable,
  type AdapterApi,
  type AdapterClient,
  type AdapterPattern,
} from '@ruleshift/contracts';

export interface RmqAdapterClientOptions {
  /** How long to wait for the adapter's reply before answering 503. */
  timeoutMs?: number;
}

export const DEFAULT_ADAPTER_TIMEOUT_MS = 30_000;

/**
 * Reaches the adapter's Nest microservice over the core broker. The adapter answers errors
 * with RuleshiftError JSON; anything else (no reply, broken connection) means the adapter is
 * unavailable.
 */
export class RmqAdapterClient implements AdapterClient {
  private readonly timeoutMs: number;

  constructor(
    private readonly client: ClientProxy,
    options: RmqAdapterClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ADAPTER_TIMEOUT_MS;
  }

  static create(coreAmqpUrl: string, options: RmqAdapterClientOptions = {}): RmqAdapterClient {
    const client = ClientProxyFactory.create({
      transport: Transport.RMQ,
      options: { urls: [coreAmqpUrl], queue: ADAPTER_QUEUE, queueOptions: { durable: true } },
    });
    return new RmqAdapterClient(client, options);
  }

  async send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    try {
      return await firstValueFrom(
        this.client
          .send<AdapterApi[P]['response'], AdapterApi[P]['request']>(pattern, request)
          .pipe(timeout(this.timeoutMs)),
      );
    } catch (error) {
      throw this.toRuleshiftError(pattern, error);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private toRuleshiftError(pattern: AdapterPattern, error: unknown): RuleshiftError {
    if (error instanceof RuleshiftError) return error;
    if (RuleshiftError.isErrorBody(error)) return RuleshiftError.fromJSON(error);
    // RpcException payloads may arrive wrapped as { error: body } depending on the thrower.
    const wrapped = (error as { error?: unknown } | null)?.error;
    if (RuleshiftError.isErrorBody(wrapped)) return RuleshiftError.fromJSON(wrapped);
    if (error instanceof TimeoutError) {
      return new RuntimeUnavailable(
        'adapter',
        `no reply to ${pattern} within ${this.timeoutMs} ms`,
      );
    }
    const message =
      error instanceof Error
        ? error.message
        : typeof (error as { message?: unknown } | null)?.message === 'string'
          ? (error as { message: string }).message
          : JSON.stringify(error);
    return new RuntimeUnavailable('adapter', `${pattern} failed: ${message}`);
  }
}
