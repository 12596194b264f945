import { NO_REPLY } from '@ruleshift/broker';
import { ReplayGuard, openSignedMessage, signMessage } from '@ruleshift/identity';
import {
  CONTROL_FRESHNESS_MS,
  type AgentReply,
  type SignedCommandBody,
  type SignedMessage,
  type SignedReplyBody,
} from '@ruleshift/contracts';
import type { AgentIdentity } from '../identity/agent-identity';
import type { AgentLogger } from '../shared/logger';

const isCommandBody = (value: unknown): value is SignedCommandBody =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SignedCommandBody).agentId === 'string' &&
  typeof (value as SignedCommandBody).issuedAt === 'string' &&
  typeof (value as SignedCommandBody).nonce === 'string' &&
  typeof (value as SignedCommandBody).command === 'object';

export interface SignedControlDeps {
  identity: AgentIdentity;
  handle(command: unknown): Promise<AgentReply>;
  logger: AgentLogger;
  now?: () => number;
}

/**
 * The gate of the control queue: a command runs only when the pinned adapter key signed it,
 * for this agent, recently, and it was not seen before. Anything else is ignored (no reply,
 * so a forger cannot make the agent publish where its `replyTo` points), logged and counted.
 * Replies are signed with the agent's key and name the command's nonce.
 */
export class SignedControl {
  private readonly replays: ReplayGuard;
  private refused = 0;

  constructor(private readonly deps: SignedControlDeps) {
    this.replays = new ReplayGuard(CONTROL_FRESHNESS_MS, deps.now);
  }

  /** Control messages refused since start (also reported in heartbeats). */
  get refusedCount(): number {
    return this.refused;
  }

  async handle(payload: unknown): Promise<SignedMessage | typeof NO_REPLY> {
    const { identity } = this.deps;
    const body = openSignedMessage(identity.adapterKey, payload);
    if (body === undefined) return this.refuse('signature does not verify');
    if (!isCommandBody(body)) return this.refuse('malformed signed command');
    if (body.agentId !== identity.agentId) {
      return this.refuse(`addressed to agent ${body.agentId}`);
    }
    const staleness = this.replays.check(body.nonce, Date.parse(body.issuedAt));
    if (staleness) return this.refuse(`command ${staleness}`);
    const reply = await this.deps.handle(body.command);
    const signed: SignedReplyBody = {
      agentId: identity.agentId,
      requestNonce: body.nonce,
      reply,
    };
    return signMessage(identity.agentKey, signed);
  }

  private refuse(reason: string): typeof NO_REPLY {
    this.refused++;
    this.deps.logger.warn('control.refused', { reason, refusedSoFar: this.refused });
    return NO_REPLY;
  }
}
