import { Inject, Injectable } from '@nestjs/common';
import { NotFound, type AgentInfo } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { assertAgentId } from '../../agent-id';
import { toAgentInfo } from '../../agent-mapper';
import { AgentRepository } from '../../persistence/agent.repository';

/**
 * From now on the agent's heartbeats are refused, no command is sent to it and no rule placed
 * on it; its runtime shows REFUSED. The row stays (who enrolled it, when it was revoked).
 */
@Injectable()
export class RevokeAgentUseCase {
  constructor(
    @Inject(AgentRepository) private readonly agents: AgentRepository,
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: { agentId: string }): Promise<AgentInfo> {
    const agentId = assertAgentId(request.agentId);
    const revoked = await this.agents.revoke(agentId, this.clock.now());
    if (!revoked) throw new NotFound('agentId', `no agent ${agentId}`);
    const runtime = await this.runtimes.find('edge', agentId);
    if (runtime) await this.runtimes.upsert({ ...runtime, health: 'REFUSED' });
    return toAgentInfo(revoked);
  }
}
