import type { RuleConfig, RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';

/** Everything a host needs to (re)start a rule; plain data so it can cross to a worker. */
export interface HostedRule {
  config: RuleConfig;
  /** The cached edge artifact (`<dataDir>/bundles/...`). */
  bundlePath: string;
  /** Used when the rule has no checkpoint yet (state carried over by a move). */
  installSnapshot?: RuleSnapshot;
}

export type RuleFailureListener = (jobId: string, reason: string) => void;

/**
 * Where rules execute. `inline`: the agent's own thread (in-process broker). `worker`: one
 * shared worker thread with a watchdog, so a rule that blocks its thread is killed without
 * stopping the agent's control channel, heartbeats or (after a host restart) other rules.
 */
export interface RuleHost {
  readonly kind: 'inline' | 'worker';
  start(rule: HostedRule, snapshot?: RuleSnapshot): Promise<void>;
  /** Graceful: settles acks and returns the final snapshot. */
  stop(jobId: string): Promise<RuleSnapshot>;
  isRunning(jobId: string): boolean;
  /** Latest known metrics (the worker host refreshes them with every watchdog ping). */
  metrics(jobId: string): RuleMetrics | undefined;
  onFailure(listener: RuleFailureListener): void;
  /** Releases the host (worker terminated). Running rules must have been stopped before. */
  close(): Promise<void>;
  /** Abandons running rules without settling them (crash simulation for tests). */
  kill(): Promise<void>;
}

/** Builds the runner of one rule; injectable so hosts are tested with fake runners. */
export type RunnerFactory = (
  rule: HostedRule,
  hooks: { onFailure(reason: string): void },
) => Promise<RuleRunner>;

export const emptyMetrics = (): RuleMetrics => ({ eventsIn: 0, eventsOut: 0, deadLettered: {} });
