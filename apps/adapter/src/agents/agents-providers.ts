import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { REGISTRY_DATA_SOURCE } from '../shared/tokens';
import { AgentKeys } from './agent-keys';
import { AgentUseCases } from './agent-use-cases';
import { AgentRepository, TypeormAgentRepository } from './persistence/agent.repository';
import { RefusedTraffic } from './refused-traffic';
import { CreateAgentUseCase } from './usecases/create-agent/create-agent.usecase';
import { EnrolAgentUseCase } from './usecases/enrol-agent/enrol-agent.usecase';
import { ListAgentsUseCase } from './usecases/list-agents/list-agents.usecase';
import { RevokeAgentUseCase } from './usecases/revoke-agent/revoke-agent.usecase';

/** Agent enrolment and identity (the adapter's signing key is provided by AdapterModule). */
export const AGENT_PROVIDERS: Provider[] = [
  {
    provide: AgentRepository,
    useFactory: (ds: DataSource) => new TypeormAgentRepository(ds),
    inject: [REGISTRY_DATA_SOURCE],
  },
  AgentKeys,
  RefusedTraffic,
  CreateAgentUseCase,
  ListAgentsUseCase,
  RevokeAgentUseCase,
  EnrolAgentUseCase,
  AgentUseCases,
];
