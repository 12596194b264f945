import { Inject, Injectable } from '@nestjs/common';
import { CreateAgentUseCase } from './usecases/create-agent/create-agent.usecase';
import { ListAgentsUseCase } from './usecases/list-agents/list-agents.usecase';
import { RevokeAgentUseCase } from './usecases/revoke-agent/revoke-agent.usecase';

/** The `agents.*` use cases, handed to the transport handlers as one group. */
@Injectable()
export class AgentUseCases {
  constructor(
    @Inject(CreateAgentUseCase) readonly create: CreateAgentUseCase,
    @Inject(ListAgentsUseCase) readonly list: ListAgentsUseCase,
    @Inject(RevokeAgentUseCase) readonly revoke: RevokeAgentUseCase,
  ) {}
}
