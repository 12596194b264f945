import { publicKeyFingerprint } from '@ruleshift/identity';
import type { AgentInfo } from '@ruleshift/contracts';
import type { AgentEntity } from './persistence/agent.entity';

const iso = (date: Date | null): string | null => (date ? new Date(date).toISOString() : null);

export function toAgentInfo(agent: AgentEntity): AgentInfo {
  return {
    agentId: agent.agentId,
    status: agent.status,
    createdBy: agent.createdBy,
    createdAt: new Date(agent.createdAt).toISOString(),
    enrolmentExpiresAt: agent.status === 'PENDING' ? iso(agent.enrolmentExpiresAt) : null,
    enrolledAt: iso(agent.enrolledAt),
    revokedAt: iso(agent.revokedAt),
    publicKeyFingerprint: agent.publicKey ? publicKeyFingerprint(agent.publicKey) : null,
  };
}
