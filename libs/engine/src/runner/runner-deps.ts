/** What a RuleRunner needs from the outside world; every side effect comes in through here. */
import type { BrokerRegistry } from '@ruleshift/broker';
import type { RuleSnapshot } from '@ruleshift/contracts';

/** Where stateful rules keep their checkpoints (the agent's local disk in production). */
export interface CheckpointStore {
  load(jobId: string): Promise<RuleSnapshot | undefined>;
  save(snapshot: RuleSnapshot): Promise<void>;
}

/** Processing time and timers, injected so tests control when checkpoints happen. */
export interface RunnerClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemRunnerClock: RunnerClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RuleRunnerDeps {
  brokers: BrokerRegistry;
  checkpoints?: CheckpointStore;
  clock?: RunnerClock;
  /** Stateful rules checkpoint (and so ack) this often; default 1000. */
  checkpointIntervalMs?: number;
  /** The rule failed (broker gone, publish refused); the agent decides about restarts. */
  onFailure?: (reason: string) => void;
}

export const DEFAULT_PREFETCH = 256;
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;
