import { ValidationFailed } from '@ruleshift/contracts';

/** The agent id names its control queue and data folder: the agent's own rule (agent-env.ts). */
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertAgentId(value: unknown, field = 'agentId'): string {
  if (typeof value !== 'string' || !AGENT_ID.test(value)) {
    throw new ValidationFailed([
      { field, reason: 'must be 1-128 letters, digits, ".", "_" or "-", starting alphanumeric' },
    ]);
  }
  return value;
}
