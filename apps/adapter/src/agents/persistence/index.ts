import { AgentEntity } from './agent.entity';

export { AgentEnrolment1767500000000 } from './1767500000000-agent-enrolment';

export const AGENT_ENTITIES = [AgentEntity];
