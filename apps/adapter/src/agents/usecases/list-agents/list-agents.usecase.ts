import { Inject, Injectable } from '@nestjs/common';
import type { AgentInfo } from '@ruleshift/contracts';
import { toAgentInfo } from '../../agent-mapper';
import { AgentRepository } from '../../persistence/agent.repository';

@Injectable()
export class ListAgentsUseCase {
  constructor(@Inject(AgentRepository) private readonly agents: AgentRepository) {}

  async execute(_request: Record<string, never> = {}): Promise<AgentInfo[]> {
    return (await this.agents.list()).map(toAgentInfo);
  }
}
