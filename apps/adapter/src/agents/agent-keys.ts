import { Inject, Injectable } from '@nestjs/common';
import { VerifyKey } from '@ruleshift/identity';
import { AgentRepository } from './persistence/agent.repository';

export type AgentKeyLookup =
  { ok: true; key: VerifyKey } | { ok: false; reason: 'not enrolled' | 'revoked' };

/**
 * The registered key of an enrolled agent, read from the registry on every use: a revocation
 * takes effect on the next message, on every adapter, with no cache to invalidate.
 */
@Injectable()
export class AgentKeys {
  constructor(@Inject(AgentRepository) private readonly agents: AgentRepository) {}

  async lookup(agentId: string): Promise<AgentKeyLookup> {
    const agent = await this.agents.find(agentId);
    if (agent?.status === 'REVOKED') return { ok: false, reason: 'revoked' };
    if (agent?.status !== 'ENROLLED' || !agent.publicKey) {
      return { ok: false, reason: 'not enrolled' };
    }
    return { ok: true, key: VerifyKey.fromPem(agent.publicKey) };
  }
}
