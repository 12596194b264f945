/** Test-only entry point (`@ruleshift/adapter/testing`): never part of the build. */
export { registryContractCases } from '../registry/testing/registry-contract';
export type { RegistryContractSetup } from '../registry/testing/registry-contract';
export { agentRepositoryContractCases } from '../agents/testing/agent-repository-contract';
export { TypeormAgentRepository } from '../agents/persistence/agent.repository';
export { eventOutboxContractCases } from '../events/outbox/testing/event-outbox-contract';
export type { EventOutboxContractSetup } from '../events/outbox/testing/event-outbox-contract';
