import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { type BrokerRegistry, RpcServer } from '@ruleshift/broker';
import {
  ADAPTER_QUEUE,
  ValidationFailed,
  type AdapterReply,
  type AdapterRequest,
} from '@ruleshift/contracts';
import type { AdapterModuleOptions } from '../adapter-options';
import { ADAPTER_OPTIONS, BROKER_REGISTRY } from '../shared/tokens';
import { AdapterHandlers } from './adapter-handlers';
import { toErrorBody } from './error-body';
import { pendingOperationOf } from './pending-operation';

/** Requests handled at once when ADAPTER_PREFETCH is not set. */
export const DEFAULT_ADAPTER_PREFETCH = 16;
/**
 * A request with less than this left before its caller's deadline is dropped unstarted; clocks
 * of proxy and adapter hosts must agree within it (NTP).
 */
export const ADAPTER_START_MARGIN_MS = 2_000;
/** An operation still running this long before the deadline answers `pending` (202). */
export const ADAPTER_REPLY_MARGIN_MS = 1_000;
/** Requests larger than this are refused unparsed (the proxy refuses them before sending). */
export const DEFAULT_ADAPTER_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * Serves the AdapterApi on ADAPTER_QUEUE (core broker) through RpcServer: an expired request
 * is dropped, a redelivered one is not run twice, at most `requestPrefetch` run at once, and an
 * operation still running near its caller's deadline answers `pending` and goes on. start() and
 * stop() let the host decide when this adapter serves (only the active one does).
 */
@Injectable()
export class AdapterRequestServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AdapterRequestServer.name);
  private server?: RpcServer;

  constructor(
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(AdapterHandlers) private readonly handlers: AdapterHandlers,
    @Inject(ADAPTER_OPTIONS) private readonly options: AdapterModuleOptions,
  ) {}

  get isServing(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const core = await this.brokers.get('core');
    await core.assert({ queues: [{ name: ADAPTER_QUEUE, durable: true }] });
    const server = new RpcServer(core);
    await server.serve(ADAPTER_QUEUE, (payload) => this.answer(payload), {
      prefetch: this.options.requestPrefetch ?? DEFAULT_ADAPTER_PREFETCH,
      maxRequestBytes: DEFAULT_ADAPTER_MAX_REQUEST_BYTES,
      startMarginMs: ADAPTER_START_MARGIN_MS,
      replyMarginMs: ADAPTER_REPLY_MARGIN_MS,
      interimReply: (payload, context): AdapterReply => ({
        ok: 'pending',
        pending: { ...pendingOperationOf(payload), requestId: context.requestId },
      }),
      onDropped: (reason, context) =>
        this.logger.warn(`dropped request ${context.requestId ?? '(no id)'}: ${reason}`),
    });
    this.server = server;
    this.logger.log(`serving ${ADAPTER_QUEUE}`);
  }

  /** Takes no new request; the running ones end and answer first. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async answer(payload: unknown): Promise<AdapterReply> {
    try {
      const { pattern, request } = asAdapterRequest(payload);
      return { ok: true, result: await this.handlers.handle(pattern, request) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  }
}

function asAdapterRequest(payload: unknown): AdapterRequest {
  const candidate = payload as Partial<AdapterRequest> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.pattern !== 'string'
  ) {
    throw new ValidationFailed([{ field: 'pattern', reason: 'must name an AdapterApi pattern' }]);
  }
  const request = candidate.request ?? {};
  if (typeof request !== 'object' || request === null) {
    throw new ValidationFailed([{ field: 'request', reason: 'must be an object' }]);
  }
  return { pattern: candidate.pattern, request };
}
