import type { BrokerConnection, BrokerRegistry } from '@ruleshift/broker';
import { ReconnectBackoff, RpcServer } from '@ruleshift/broker';
import { CONTROL_REPLY_EXCHANGE, controlQueueFor } from '@ruleshift/contracts';
import type { AgentLogger } from '../shared/logger';
import { describeError } from '../shared/reply-error';
import { controlTopologyFor } from './control-topology';

export interface ControlServing {
  close(): Promise<void>;
}

/** Starts answering RPCs on a queue; injectable so tests need no RPC wire format. */
export type ServeControl = (
  broker: BrokerConnection,
  queue: string,
  handler: (payload: unknown) => Promise<unknown>,
) => Promise<ControlServing>;

export const serveWithRpcServer: ServeControl = async (broker, queue, handler) => {
  const server = new RpcServer(broker);
  await server.serve(queue, (payload) => handler(payload), {
    replyExchange: CONTROL_REPLY_EXCHANGE,
  });
  return server;
};

export interface ControlChannelDeps {
  agentId: string;
  brokers: BrokerRegistry;
  coreEndpoint: string;
  handle(payload: unknown): Promise<unknown>;
  serve: ServeControl;
  /** Called once connected: the first heartbeat is the agent's registration. */
  onConnected(core: BrokerConnection): void;
  logger: AgentLogger;
  retry?: { initialDelayMs: number; maxDelayMs: number };
  /** Draws the retry jitter (default Math.random). */
  random?: () => number;
}

/**
 * The agent's uplink: it dials out to the core broker (no inbound port on the gateway),
 * declares its control queue and serves commands. While the core is unreachable it keeps
 * retrying with jittered backoff (gateways cut by one outage must not return in lock-step);
 * rules run meanwhile, independently of it.
 */
export class ControlChannel {
  private stopped = false;
  private connected = false;
  private serving: ControlServing | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: ControlChannelDeps) {}

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.loop ??= this.connectUntilDone();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.serving?.close().catch(() => undefined);
    this.serving = undefined;
    this.connected = false;
  }

  private async connectUntilDone(): Promise<void> {
    const { initialDelayMs, maxDelayMs } = this.deps.retry ?? {
      initialDelayMs: 500,
      maxDelayMs: 10_000,
    };
    const backoff = new ReconnectBackoff(initialDelayMs, maxDelayMs, this.deps.random);
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.connectOnce();
        return;
      } catch (error) {
        const delay = backoff.next();
        this.deps.logger.warn('control.connect-failed', {
          endpoint: this.deps.coreEndpoint,
          attempt,
          retryInMs: delay,
          error: describeError(error),
        });
        await this.sleep(delay);
      }
    }
  }

  private async connectOnce(): Promise<void> {
    const core = await this.deps.brokers.get(this.deps.coreEndpoint);
    await core.assert(controlTopologyFor(this.deps.agentId));
    const queue = controlQueueFor(this.deps.agentId);
    const serving = await this.deps.serve(core, queue, (payload) => this.deps.handle(payload));
    if (this.stopped) {
      await serving.close();
      return;
    }
    this.serving = serving;
    this.connected = true;
    this.deps.logger.info('control.connected', { endpoint: this.deps.coreEndpoint, queue });
    this.deps.onConnected(core);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
