import type { RuleMetrics, RuntimeHealth } from '@ruleshift/contracts';

/** What the monitor learned about one cluster in one round. */
export interface FlinkClusterStatus {
  /** The cluster's targetResource. */
  cluster: string;
  health: Extract<RuntimeHealth, 'UP' | 'UNREACHABLE'>;
  /** Last time the cluster's REST API answered (null: never since this adapter started). */
  lastSeenAt: Date | null;
  /** taskmanagers, slotsTotal, slotsAvailable, jobsRunning, flinkVersion, restUrl; or error. */
  details: Record<string, unknown>;
}

/** Where cluster health goes: the registry's runtime table (GET /api/runtimes). */
export abstract class FlinkRuntimeHealthSink {
  abstract report(status: FlinkClusterStatus): Promise<void>;
}

/** Which rules the registry believes RUNNING on a cluster (idle ones: no operation holds them). */
export abstract class RunningFlinkJobs {
  abstract runningOn(cluster: string): Promise<string[]>;
}

/**
 * Marks a rule FAILED with the runtime's reason, the way the heartbeat path does for edge
 * rules. Must do nothing when the job is no longer RUNNING on flink or an operation holds it.
 */
export abstract class JobFailureReporter {
  abstract reportFailed(jobId: string, reason: string): Promise<void>;
}

/** When a rule's Flink figures were read, and how saturated its job was then. */
export interface FlinkRuleLoad {
  at: Date;
  /** 0..1 (readFlinkRuleBackpressure); absent when Flink would not say. */
  backpressure?: number;
}

/**
 * Where a running rule's figures read from Flink go (GET /api/jobs, /metrics, pipelines, the
 * placement service's signals).
 */
export abstract class FlinkRuleFiguresSink {
  abstract record(cluster: string, jobId: string, metrics: RuleMetrics, load: FlinkRuleLoad): void;
  abstract forget(cluster: string, jobId: string): void;
}
