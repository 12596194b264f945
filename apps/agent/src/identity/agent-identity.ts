import type { SigningKey, VerifyKey } from '@ruleshift/identity';

/** What an enrolled agent knows: its own key, and the adapter key it pinned at enrolment. */
export interface AgentIdentity {
  agentId: string;
  agentKey: SigningKey;
  adapterKey: VerifyKey;
}
