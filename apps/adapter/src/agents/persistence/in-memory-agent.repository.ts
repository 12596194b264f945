import type { AgentEntity } from './agent.entity';
import { AgentRepository, type EnrolmentAttempt } from './agent.repository';

/** The same semantics as TypeormAgentRepository (one contract suite runs both), in memory. */
export class InMemoryAgentRepository extends AgentRepository {
  private readonly rows = new Map<string, AgentEntity>();

  find(agentId: string): Promise<AgentEntity | null> {
    const row = this.rows.get(agentId);
    return Promise.resolve(row ? structuredClone(row) : null);
  }

  list(): Promise<AgentEntity[]> {
    const ids = [...this.rows.keys()].sort();
    return Promise.resolve(ids.map((id) => structuredClone(this.rows.get(id)!)));
  }

  save(agent: AgentEntity): Promise<void> {
    this.rows.set(agent.agentId, structuredClone(agent));
    return Promise.resolve();
  }

  enrol(attempt: EnrolmentAttempt): Promise<AgentEntity | null> {
    const row = this.rows.get(attempt.agentId);
    if (
      !row ||
      row.status !== 'PENDING' ||
      row.enrolmentTokenHash !== attempt.tokenHash ||
      !row.enrolmentExpiresAt ||
      row.enrolmentExpiresAt.getTime() <= attempt.at.getTime()
    ) {
      return Promise.resolve(null);
    }
    Object.assign(row, {
      status: 'ENROLLED',
      publicKey: attempt.publicKey,
      enrolledAt: attempt.at,
      enrolmentTokenHash: null,
      enrolmentExpiresAt: null,
    });
    return this.find(attempt.agentId);
  }

  revoke(agentId: string, at: Date): Promise<AgentEntity | null> {
    const row = this.rows.get(agentId);
    if (row && row.status !== 'REVOKED') {
      Object.assign(row, { status: 'REVOKED', revokedAt: at, enrolmentTokenHash: null });
    }
    return this.find(agentId);
  }
}
