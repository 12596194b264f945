import type { RuleMetrics } from './job';
import type { RuleConfig } from './rule-config';
import type { ArtifactRef } from './template-manifest';

/**
 * Control channel between the adapter and edge agents, over the *core* broker. Agents dial
 * out (no inbound port): each consumes its own queue and answers RPCs on the caller's
 * reply queue with the request's correlation id.
 */
export const CONTROL_EXCHANGE = 'ruleshift.control';
/**
 * Agents reply through this direct exchange (routing key = the adapter's reply queue), never
 * the default exchange: their broker users need no write permission on `amq.default`.
 */
export const CONTROL_REPLY_EXCHANGE = 'ruleshift.control.replies';
export const controlQueueFor = (agentId: string): string => `ruleshift.agent.${agentId}`;
/** Fanout exchange agents publish heartbeats to; the adapter binds its own queue. */
export const HEARTBEAT_EXCHANGE = 'ruleshift.heartbeats';
export const ADAPTER_HEARTBEAT_QUEUE = 'ruleshift.adapter.heartbeats';

/** Engine-neutral snapshot of a rule's state (documented in docs/snapshot-format.md). */
export interface RuleSnapshot {
  format: 'ruleshift.snapshot/v1';
  jobId: string;
  jobType: string;
  templateVersion: string;
  takenAt: string;
  /** Event-time watermark (ms since epoch) when taken, or null. */
  watermark: number | null;
  /** Template-specific, JSON only. Empty for stateless templates. */
  state: unknown;
}

export type AgentRuleStatus = 'INSTALLED' | 'RUNNING' | 'STOPPED' | 'FAILED';

export interface InstallRuleCommand {
  type: 'install';
  config: RuleConfig;
  /**
   * The template's edge artifact. `signature`: the adapter's ed25519 signature over (jobType,
   * version, sha256), checked with the pinned adapter key before any code is loaded. `url` is
   * informative: an agent downloads only from its own configured adapter URL and refuses a
   * command naming another.
   */
  artifact: ArtifactRef & { url: string; signature: string };
  /** State carried over from a previous placement (move). */
  snapshot?: RuleSnapshot;
}
export interface StartRuleCommand {
  type: 'start';
  jobId: string;
}
export interface StopRuleCommand {
  type: 'stop';
  jobId: string;
}
export interface UninstallRuleCommand {
  type: 'uninstall';
  jobId: string;
}
export interface StatusCommand {
  type: 'status';
}

export type AgentCommand =
  InstallRuleCommand | StartRuleCommand | StopRuleCommand | UninstallRuleCommand | StatusCommand;

export interface AgentRuleState {
  jobId: string;
  jobType: string;
  status: AgentRuleStatus;
  failureReason?: string;
  metrics: RuleMetrics;
}

/**
 * Replies. `stop` and `uninstall` return the rule's final snapshot once its consumer is
 * cancelled and every input it took is settled (acked after its output was confirmed).
 */
export type AgentReply =
  | { ok: true; rule?: AgentRuleState; snapshot?: RuleSnapshot; rules?: AgentRuleState[] }
  | { ok: false; error: { code: string; message: string } };

export interface AgentHeartbeat {
  agentId: string;
  /** Process start, so the adapter can tell a restart from a long silence. */
  startedAt: string;
  sentAt: string;
  version: string;
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  rules: AgentRuleState[];
  /** Control messages the agent ignored since it started (bad signature, stale, replayed). */
  refusedControlMessages?: number;
  /**
   * True when the agent runs inside a process it shares with others (`npm start`: the adapter,
   * the proxy and every in-process agent): cpuPercent, rssBytes and heapUsedBytes are then that
   * whole process's, the same for each of its agents, not this agent's own.
   */
  sharesProcess?: boolean;
}

/** The adapter marks an agent UNREACHABLE after this many missed heartbeat intervals. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 2000;
export const DEFAULT_HEARTBEAT_MISSES = 3;
