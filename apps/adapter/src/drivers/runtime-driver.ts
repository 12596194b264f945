import type { RuleConfig, RuleSnapshot, RuntimeKind } from '@ruleshift/contracts';

/** What a driver needs to know about the job it acts on, at one placement. */
export interface DriverJob {
  jobId: string;
  jobType: string;
  templateVersion: string;
  runtime: RuntimeKind;
  /** Agent id (edge) or cluster name (flink). */
  targetResource: string;
}

/** What a stop or uninstall must hand back. */
export interface StateOptions {
  /**
   * The caller carries the rule's state elsewhere (a move): return it as the engine-neutral
   * snapshot even where that costs extra work (Flink: a State Processor API job). Without it a
   * driver may return nothing for state it keeps itself (Flink keeps its savepoint).
   */
  exportState?: boolean;
}

/**
 * One kind of runtime (edge agents, Flink clusters). Use cases only talk to this interface;
 * a new runtime is a new driver registered in the DriverRegistry, no use case changes.
 * Errors: RuntimeUnavailable when the runtime cannot be reached, RuleshiftError RUNTIME_ERROR
 * when it refused.
 */
export interface RuntimeDriver {
  readonly kind: RuntimeKind;
  install(job: DriverJob, config: RuleConfig, snapshot?: RuleSnapshot): Promise<void>;
  /** Assumed idempotent on a running rule (move recovery may repeat it). */
  start(job: DriverJob): Promise<void>;
  /** Returns the final state once nothing of the rule consumes (undefined when stateless). */
  stop(job: DriverJob, options?: StateOptions): Promise<RuleSnapshot | undefined>;
  uninstall(job: DriverJob, options?: StateOptions): Promise<RuleSnapshot | undefined>;
  /** Whether snapshots taken here can be restored on `kind` and vice versa. */
  canCarryState(kind: RuntimeKind): boolean;
  /**
   * Refuses (Conflict) a rule the placement cannot run now for lack of room, before a move
   * stops it where it runs. Runtimes without such a limit leave it out.
   */
  requireCapacity?(job: DriverJob, config: RuleConfig): Promise<void>;
}
