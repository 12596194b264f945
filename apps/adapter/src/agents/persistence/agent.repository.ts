import { DataSource, type Repository } from 'typeorm';
import { AgentEntity } from './agent.entity';

export interface EnrolmentAttempt {
  agentId: string;
  tokenHash: string;
  publicKey: string;
  at: Date;
}

export abstract class AgentRepository {
  abstract find(agentId: string): Promise<AgentEntity | null>;
  /** By agent id. */
  abstract list(): Promise<AgentEntity[]>;
  /** Inserts or replaces the whole row. */
  abstract save(agent: AgentEntity): Promise<void>;
  /**
   * Presents a token, atomically: only a PENDING agent whose token hash matches and has not
   * expired becomes ENROLLED with `publicKey` (the token is cleared, so it works once).
   * Returns the enrolled row, or null when nothing matched.
   */
  abstract enrol(attempt: EnrolmentAttempt): Promise<AgentEntity | null>;
  /** Sets REVOKED (first revocation time kept); returns the row afterwards, null if unknown. */
  abstract revoke(agentId: string, at: Date): Promise<AgentEntity | null>;
}

export class TypeormAgentRepository extends AgentRepository {
  private readonly agents: Repository<AgentEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.agents = dataSource.getRepository(AgentEntity);
  }

  find(agentId: string): Promise<AgentEntity | null> {
    return this.agents.findOneBy({ agentId });
  }

  list(): Promise<AgentEntity[]> {
    return this.agents.find({ order: { agentId: 'ASC' } });
  }

  async save(agent: AgentEntity): Promise<void> {
    await this.agents.upsert({ ...agent }, ['agentId']);
  }

  async enrol(attempt: EnrolmentAttempt): Promise<AgentEntity | null> {
    const result = await this.agents
      .createQueryBuilder()
      .update(AgentEntity)
      .set({
        status: 'ENROLLED',
        publicKey: attempt.publicKey,
        enrolledAt: attempt.at,
        enrolmentTokenHash: null,
        enrolmentExpiresAt: null,
      })
      .where(
        `agent_id = :agentId AND status = 'PENDING' AND enrolment_token_hash = :tokenHash
         AND enrolment_expires_at > :at`,
        { agentId: attempt.agentId, tokenHash: attempt.tokenHash, at: attempt.at },
      )
      .execute();
    return result.affected ? this.find(attempt.agentId) : null;
  }

  async revoke(agentId: string, at: Date): Promise<AgentEntity | null> {
    await this.agents
      .createQueryBuilder()
      .update(AgentEntity)
      .set({ status: 'REVOKED', revokedAt: at, enrolmentTokenHash: null })
      .where(`agent_id = :agentId AND status <> 'REVOKED'`, { agentId })
      .execute();
    return this.find(agentId);
  }
}
