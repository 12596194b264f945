import { Inject, Injectable, Logger } from '@nestjs/common';
import { isSignedMessage, openSignedMessage, unverifiedPayload } from '@ruleshift/identity';
import { HEARTBEAT_MAX_AGE_MS, type AgentHeartbeat } from '@ruleshift/contracts';
import { AgentKeys } from '../agents/agent-keys';
import { RefusedTraffic } from '../agents/refused-traffic';
import { Clock } from '../shared/clock';

const isHeartbeat = (value: unknown): value is AgentHeartbeat =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AgentHeartbeat).agentId === 'string' &&
  typeof (value as AgentHeartbeat).sentAt === 'string' &&
  Array.isArray((value as AgentHeartbeat).rules);

const UNKNOWN_SENDER = '(unnamed)';

/**
 * A heartbeat counts only when it is signed by the key registered for the agent it names, is
 * recent, and is newer than the last one accepted for that agent (a copy replayed on the
 * fanout cannot revive a dead agent). Anything else is refused, counted and logged.
 */
@Injectable()
export class HeartbeatVerifier {
  private readonly logger = new Logger(HeartbeatVerifier.name);
  private readonly lastSentAt = new Map<string, number>();

  constructor(
    @Inject(AgentKeys) private readonly keys: AgentKeys,
    @Inject(RefusedTraffic) private readonly refused: RefusedTraffic,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The heartbeat when it is genuine and fresh; undefined (counted) otherwise. */
  async open(body: Buffer): Promise<AgentHeartbeat | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      return this.refuse(UNKNOWN_SENDER, 'not JSON');
    }
    const claimed = isSignedMessage(message) ? unverifiedPayload(message) : message;
    const agentId =
      typeof (claimed as { agentId?: unknown } | undefined)?.agentId === 'string'
        ? (claimed as { agentId: string }).agentId.slice(0, 128)
        : UNKNOWN_SENDER;
    if (agentId === UNKNOWN_SENDER) return this.refuse(agentId, 'names no agent');
    if (!isSignedMessage(message)) return this.refuse(agentId, 'not signed');
    const lookup = await this.keys.lookup(agentId);
    if (!lookup.ok) return this.refuse(agentId, lookup.reason);
    const heartbeat = openSignedMessage(lookup.key, message);
    if (!isHeartbeat(heartbeat)) return this.refuse(agentId, 'signature does not verify');
    const sentAt = Date.parse(heartbeat.sentAt);
    const now = this.clock.now().getTime();
    if (!Number.isFinite(sentAt) || sentAt < now - HEARTBEAT_MAX_AGE_MS) {
      return this.refuse(agentId, 'too old');
    }
    if (sentAt <= (this.lastSentAt.get(agentId) ?? -Infinity)) {
      return this.refuse(agentId, 'replayed');
    }
    this.lastSentAt.set(agentId, sentAt);
    return heartbeat;
  }

  private refuse(agentId: string, reason: string): undefined {
    this.refused.heartbeatRefused(agentId, reason, this.clock.now());
    this.logger.warn(`refused a heartbeat for agent ${agentId}: ${reason}`);
    return undefined;
  }
}
