import type { PlacementDecision, PlacementPolicy } from './placement';

/**
 * The paper's JSON objects (Bixio et al. 2020, section 3). Field names are the contract and
 * must not change; extra fields are optional and additive.
 */

export const JOB_STATUSES = ['INSTALLED', 'RUNNING', 'STOPPED', 'UNINSTALLED'] as const;
/** The paper's four statuses. FAILED is ours: a runtime reported the rule dead (see JobDetails). */
export type JobStatus = (typeof JOB_STATUSES)[number] | 'FAILED';

/** `edge`: the embedded engine of an agent. `flink`: a job on a Flink session cluster. */
export const RUNTIME_KINDS = ['edge', 'flink'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

export const FILTER_CONDITIONS = ['>', '>=', '=', '<', '<='] as const;
export type FilterCondition = (typeof FILTER_CONDITIONS)[number];

export type ExchangeType = 'direct' | 'topic' | 'fanout' | 'headers';

/** One input of a rule: where it reads from. The paper's flat input fields are input #0. */
export interface InputConnector {
  endpoint: string;
  exchange: string;
  queue: string;
  routingKey: string;
  exchangeType?: ExchangeType;
}

/** Where a rule writes. */
export interface OutputConnector {
  endpoint: string;
  exchange: string;
  routingKey: string;
  exchangeType?: ExchangeType;
}

/** `jobConfig.connectors` exactly as in the paper, plus optional additive fields. */
export interface Connectors {
  inputEndpoint: string;
  inputExchange: string;
  inputQueue: string;
  inputRoutingKey: string;
  outputEndpoint: string;
  outputExchange: string;
  outputRoutingKey: string;
  /** Additive: exchange type of input and output exchanges (default `direct`). */
  exchangeType?: ExchangeType;
  /** Additive: messages in flight per consumer (default 256). */
  prefetch?: number;
  /** Additive: second input for two-input templates (window-join). */
  secondInput?: InputConnector;
  /**
   * Additive, with `jobConfig.parallelism` > 1: what of each input event picks its partition
   * queue, so that the events of one key always go through the same one (and stay in order).
   */
  partitionKey?: PartitionKey;
  /**
   * Additive, set by the adapter (never by a client) when the rule reads a partitioned input:
   * the partition queues of input #0 in partition order; they replace `inputQueue`.
   */
  inputQueues?: string[];
}

/** Message properties RabbitMQ's consistent-hash exchange can hash (`hash-property`). */
export const PARTITION_PROPERTIES = ['message_id', 'correlation_id', 'timestamp'] as const;
export type PartitionProperty = (typeof PARTITION_PROPERTIES)[number];

/**
 * What RabbitMQ's consistent-hash exchange hashes to pick a partition: the routing key, a
 * header (`hash-header`) or a message property (`hash-property`). The event body is not
 * readable by the broker, so a key inside the JSON has to be published as a header too.
 */
export type PartitionKey =
  | { source: 'routingKey' }
  | { source: 'header'; name: string }
  | { source: 'property'; name: PartitionProperty };

/** Most partitions (and so Flink source subtasks) one rule may ask for. */
export const MAX_RULE_PARALLELISM = 32;

export interface InstallationHeaders {
  runtime: RuntimeKind;
  targetResource: string;
  jobType: string;
}

export interface InstallationObject {
  headers: InstallationHeaders;
  jobConfig: {
    connectors: Connectors;
    /**
     * Additive, Flink only: N > 1 partitions the rule's input into N queues, read by N Flink
     * source subtasks (see `connectors.partitionKey`). Default 1.
     */
    parallelism?: number;
  };
  jobProps: Record<string, unknown>;
  /** Additive: who places the rule (default `{ "mode": "manual" }`); see placement.ts. */
  placement?: PlacementPolicy;
}

export interface JobInfo {
  runtime: RuntimeKind;
  jobId: string;
  jobType: string;
  jobStatus: JobStatus;
  configFileName: string;
  /** Additive: where the rule is placed now (agent id or Flink cluster name). */
  targetResource?: string;
}

/** `POST /api/uninstall`: the jobInfo, plus what to keep of the rule's queues. */
export interface UninstallRequest extends JobInfo {
  /**
   * Additive: keep the rule's input queue(s) (and what waits in them). By default uninstall
   * deletes them unless another job that is not UNINSTALLED reads the same queue on the same
   * endpoint. The dead-letter queue is always deleted.
   */
  keepInputQueue?: boolean;
}

/** The paper's relocation object; `target_runtime` stays snake_case as written there. */
export interface RelocationObject {
  target_runtime: RuntimeKind;
  targetResource: string;
  jobInfo: JobInfo;
  /**
   * Additive: move a stateful rule without its window state. True drops the open windows even
   * where they could move with the rule (between agents, between the edge and Flink); it is also
   * what lets a stateful rule move where they cannot (off a lost runtime). Without it the state
   * moves with the rule, and a move where it cannot is refused naming `dropState`. (A placement
   * policy's `dropState` differs: it only permits a drop where the state cannot move.)
   */
  dropState?: boolean;
}

export interface StatusChange {
  status: JobStatus;
  runtime: RuntimeKind;
  targetResource: string;
  at: string;
  reason?: string;
}

export interface RuleMetrics {
  eventsIn: number;
  eventsOut: number;
  deadLettered: Record<string, number>;
  late?: number;
  watermark?: number | null;
  stateKeys?: number;
  /** Open windows counted per key (window rules). */
  openWindows?: number;
  stateBytes?: number;
}

/** Read model for `GET /api/jobs/{jobId}`: jobInfo plus what an operator needs to see. */
export interface JobDetails extends JobInfo {
  targetResource: string;
  templateVersion: string;
  connectors: Connectors;
  jobProps: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  /** Why the job is FAILED, as the runtime reported it. */
  failureReason?: string;
  history: StatusChange[];
  metrics?: RuleMetrics;
  /**
   * The operation holding the job (`install`, `start`, `stop`, `uninstall`, `move`) while it
   * runs; set after a 202 until the operation ends.
   */
  pendingOperation?: string;
  /** The rule's dead-letter queue: its bound and the dead letters dropped past it. */
  deadLetterQueue?: { maxLength: number; dropped: number };
  /** A move that has not finished yet (the adapter resumes it on restart). */
  pendingMove?: { id: string; step: string; targetRuntime: RuntimeKind; targetResource: string };
  /** The rule's placement policy (`{ "mode": "manual" }` unless one was set). */
  placement?: PlacementPolicy;
  /** The placement service's latest decisions and close non-decisions on this rule, newest first. */
  placementDecisions?: PlacementDecision[];
  /** auto: the policy leaves the rule alone until then (after an operator's move). */
  placementPausedUntil?: string;
}

/** REFUSED: an edge agent that is not enrolled or was revoked (its heartbeats are ignored). */
export type RuntimeHealth = 'UP' | 'UNREACHABLE' | 'UNKNOWN' | 'REFUSED';

/** `GET /api/runtimes`: registered agents and Flink clusters. */
export interface RuntimeInfo {
  runtime: RuntimeKind;
  targetResource: string;
  health: RuntimeHealth;
  lastSeenAt?: string;
  details?: Record<string, unknown>;
}
