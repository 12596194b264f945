import type { BrokerConnection } from '@ruleshift/broker';
import type { AgentHeartbeat, AgentRuleState, SignedMessage } from '@ruleshift/contracts';
import { HEARTBEAT_EXCHANGE } from '@ruleshift/contracts';
import type { AgentLogger } from '../shared/logger';
import { describeError } from '../shared/reply-error';
import type { ProcessStats } from './process-stats';

export interface HeartbeatDeps {
  agentId: string;
  version: string;
  startedAt: Date;
  intervalMs: number;
  stats: ProcessStats;
  rules(): AgentRuleState[];
  /** Control messages refused so far, reported so the adapter's runtime list shows them. */
  refusedControlMessages(): number;
  /** The process is shared with other agents (npm start): the load figures are the process's. */
  sharesProcess?: boolean;
  /** Signs with the agent's key: the adapter accepts a heartbeat only from the agent it names. */
  sign(heartbeat: AgentHeartbeat): SignedMessage;
  logger: AgentLogger;
  now?: () => Date;
}

/**
 * Publishes AgentHeartbeat to the heartbeat fanout on the core broker: one right away when the
 * control channel connects (the registration), then every interval. A heartbeat still waiting
 * for its confirm makes the next tick skip, so an unreachable broker does not pile them up.
 */
export class HeartbeatPublisher {
  private core: BrokerConnection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private readonly now: () => Date;

  constructor(private readonly deps: HeartbeatDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  build(): AgentHeartbeat {
    const sample = this.deps.stats.sample();
    return {
      agentId: this.deps.agentId,
      startedAt: this.deps.startedAt.toISOString(),
      sentAt: this.now().toISOString(),
      version: this.deps.version,
      cpuPercent: sample.cpuPercent,
      rssBytes: sample.rssBytes,
      heapUsedBytes: sample.heapUsedBytes,
      rules: this.deps.rules(),
      refusedControlMessages: this.deps.refusedControlMessages(),
      ...(this.deps.sharesProcess ? { sharesProcess: true } : {}),
    };
  }

  /** Starts publishing to `core`: the first heartbeat now, then every interval. */
  attach(core: BrokerConnection): Promise<void> {
    this.core = core;
    if (!this.timer) {
      this.timer = setInterval(() => void this.beat(), this.deps.intervalMs);
      this.timer.unref();
    }
    return this.beat();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.core = undefined;
  }

  private async beat(): Promise<void> {
    const core = this.core;
    if (!core || this.inFlight) return;
    this.inFlight = true;
    try {
      const heartbeat = this.build();
      await core.publish(
        HEARTBEAT_EXCHANGE,
        this.deps.agentId,
        Buffer.from(JSON.stringify(this.deps.sign(heartbeat))),
        {
          persistent: false,
          contentType: 'application/json',
          // A heartbeat is news only for a few intervals; an old one must not revive a dead agent.
          expiration: this.deps.intervalMs * 3,
        },
      );
    } catch (error) {
      this.deps.logger.warn('heartbeat.failed', { error: describeError(error) });
    } finally {
      this.inFlight = false;
    }
  }
}
