import type { AgentCommand, AgentReply } from '@ruleshift/contracts';

/** The agent did not reply in time (it is down or its uplink is). */
export class AgentDidNotAnswer extends Error {
  constructor(readonly agentId: string) {
    super(`agent ${agentId} did not answer`);
  }
}

/** Request/reply to one agent over the control channel (core broker). */
export abstract class AgentControlChannel {
  /** Rejects with AgentDidNotAnswer on timeout. */
  abstract send(agentId: string, command: AgentCommand): Promise<AgentReply>;
}
