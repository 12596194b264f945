import type { ArtifactRef, RuleConfig, RuleSnapshot } from '@ruleshift/contracts';

/**
 * What the agent wants a rule to be, kept on local disk. RUNNING records are resumed at
 * start without the core; FAILED ones wait for an explicit start (a rule that looped would
 * only loop again).
 */
export type DesiredStatus = 'INSTALLED' | 'RUNNING' | 'STOPPED' | 'FAILED';

export interface RuleRecord {
  config: RuleConfig;
  artifact: ArtifactRef & { url: string; signature?: string };
  desiredStatus: DesiredStatus;
  failureReason?: string;
  /** State handed over by a move; used when the rule has no checkpoint of its own yet. */
  installSnapshot?: RuleSnapshot;
  installedAt: string;
  updatedAt: string;
}
