import { Inject, Injectable } from '@nestjs/common';
import { Conflict, type CreateAgentRequest, type CreatedAgent } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { assertAgentId } from '../../agent-id';
import { toAgentInfo } from '../../agent-mapper';
import {
  ENROLMENT_TOKEN_TTL_MS,
  enrolmentTokenHash,
  newEnrolmentToken,
} from '../../enrolment-token';
import { AgentRepository } from '../../persistence/agent.repository';

/**
 * Admits an agent id and issues its one-time enrolment token. A PENDING or REVOKED agent gets
 * a fresh token (re-enrolment, which is also how an agent's key is rotated); an ENROLLED one
 * must be revoked first, so a stolen admin call cannot silently replace a live agent's key.
 */
@Injectable()
export class CreateAgentUseCase {
  constructor(
    @Inject(AgentRepository) private readonly agents: AgentRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: CreateAgentRequest): Promise<CreatedAgent> {
    const agentId = assertAgentId(request.agentId);
    const existing = await this.agents.find(agentId);
    if (existing?.status === 'ENROLLED') {
      throw new Conflict('agentId', `agent ${agentId} is enrolled; revoke it first to re-enrol`);
    }
    const now = this.clock.now();
    const token = newEnrolmentToken();
    const agent = {
      agentId,
      status: 'PENDING' as const,
      enrolmentTokenHash: enrolmentTokenHash(token),
      enrolmentExpiresAt: new Date(now.getTime() + ENROLMENT_TOKEN_TTL_MS),
      publicKey: null,
      createdBy: request.createdBy,
      createdAt: now,
      enrolledAt: null,
      revokedAt: null,
    };
    await this.agents.save(agent);
    return { agent: toAgentInfo(agent), enrolmentToken: token };
  }
}
