/** Typed views of the Flink 1.20 REST responses ruleshift uses (camelCase, fields we read). */

export type FlinkJobState =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

/** Job states after which the job never runs again. */
export const TERMINAL_JOB_STATES: ReadonlySet<string> = new Set([
  'FAILED',
  'CANCELED',
  'FINISHED',
  'SUSPENDED',
]);

export interface FlinkOverview {
  taskmanagers: number;
  slotsTotal: number;
  slotsAvailable: number;
  jobsRunning: number;
  flinkVersion: string;
}

export interface FlinkJar {
  id: string;
  name: string;
  uploaded: number;
  entryClasses: string[];
}

export interface RunJarOptions {
  entryClass: string;
  programArgsList?: string[];
  parallelism?: number;
  /** 32 lowercase hex digits; lets the caller name the job before it exists (idempotent runs). */
  jobId?: string;
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  /**
   * How long to wait for Flink's answer; the JobManager runs the jar's main() before answering,
   * which takes seconds on a busy cluster. Defaults to the client's request timeout.
   */
  timeoutMs?: number;
}

export interface FlinkVertex {
  id: string;
  name: string;
  /** Execution state of the vertex's tasks: CREATED, SCHEDULED, DEPLOYING, RUNNING, ... */
  status: string;
  parallelism: number;
}

/** One metric of a vertex, summed over its subtasks (`sum` absent when only listed). */
export interface FlinkMetricSum {
  id: string;
  sum?: number;
}

/** A vertex's saturation, its busiest subtask's (ratios 0..1 of the last second or so). */
export interface FlinkVertexBackpressure {
  /** Flink's verdict: ok, low or high. */
  level: string;
  /** Share of time a subtask waited for output buffers (downstream too slow). */
  backPressuredRatio: number;
  /** Share of time a subtask was processing (neither idle nor back-pressured). */
  busyRatio: number;
  /** When Flink computed these figures (epoch ms). */
  endTimestamp: number;
}

export interface FlinkJob {
  jobId: string;
  name: string;
  state: FlinkJobState;
  startTime: number;
  vertices: FlinkVertex[];
}

/**
 * A job as GET /jobs/overview lists it: read live from the Dispatcher, unlike GET /jobs/{id},
 * which Flink serves from a cache refreshed every `web.refresh-interval` (3 s by default).
 */
export interface FlinkJobProgress {
  jobId: string;
  name: string;
  state: FlinkJobState;
  /** The job's subtasks per execution state (Flink's lower-case names) and their `total`. */
  tasks: Record<string, number>;
}

export interface FlinkJobExceptions {
  /** The exception that last failed the job (stack trace text), if any. */
  rootException?: string;
  timestamp?: number;
  history: { exceptionName: string; stacktrace: string; timestamp: number; taskName?: string }[];
}

/** A completed checkpoint or savepoint; ids of one job's checkpoints and savepoints share a sequence. */
export interface FlinkCompletedCheckpoint {
  id: number;
  externalPath: string;
  triggerTimestamp: number;
  /** Its files were deleted (a checkpoint that was not retained). */
  discarded: boolean;
}

export interface FlinkCheckpoints {
  latestCompleted?: FlinkCompletedCheckpoint;
  latestSavepoint?: FlinkCompletedCheckpoint;
  /** The checkpoint or savepoint the job started from. */
  restored?: { id: number; externalPath: string };
}

export interface SavepointResult {
  location: string;
}

export interface StopWithSavepointOptions {
  /** Defaults to the cluster's execution.checkpointing.savepoint-dir. */
  targetDirectory?: string;
  /** true emits MAX_WATERMARK first (fires all windows): for a final stop, not for a move. */
  drain?: boolean;
  timeoutMs?: number;
}

export interface TriggerSavepointOptions {
  targetDirectory?: string;
  timeoutMs?: number;
}

export interface WaitOptions {
  timeoutMs: number;
}
