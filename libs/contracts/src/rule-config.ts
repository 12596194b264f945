import type { Connectors, RuntimeKind } from './job';

/**
 * The rendered configuration of a rule: the file that `configFileName` names. It is the
 * *same* content on every runtime and across moves: the edge agent and the Flink job both
 * read it. Endpoints are broker names or amqp URLs without credentials; each runtime
 * resolves credentials from its own configuration.
 */
export interface RuleConfig {
  jobId: string;
  jobType: string;
  templateVersion: string;
  connectors: Connectors;
  jobProps: Record<string, unknown>;
  /** Dead-letter exchange for bad and late events (one per broker: `ruleshift.dlx`). */
  deadLetterExchange: string;
  /**
   * Additive: the bound of the rule's dead-letter queue, fixed at install so every declarer
   * (adapter, agent) declares the queue with the same arguments. Absent on rules installed
   * before queues were bounded: their queue keeps being declared without a bound.
   */
  deadLetterQueue?: DeadLetterQueueBounds;
  /**
   * Additive: the rule's parallelism when it reads a partitioned input (then > 1, and
   * `connectors.inputQueues` names the partitions). Flink runs that many subtasks; an edge
   * agent consumes every partition itself. Absent: 1.
   */
  parallelism?: number;
}

/** `ruleshift.dlq.<jobId>` keeps the newest `maxLength` dead letters; older ones are dropped. */
export interface DeadLetterQueueBounds {
  maxLength: number;
}

/** Default of DEAD_LETTER_MAX_LENGTH. */
export const DEFAULT_DEAD_LETTER_MAX_LENGTH = 10_000;

/** Where a rule is placed: which runtime and which agent or cluster. */
export interface Placement {
  runtime: RuntimeKind;
  targetResource: string;
}

export const DEAD_LETTER_EXCHANGE = 'ruleshift.dlx';
/** Header names on dead-lettered messages. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-ruleshift-reason',
  detail: 'x-ruleshift-detail',
  jobId: 'x-ruleshift-job-id',
  sourceExchange: 'x-ruleshift-source-exchange',
  sourceRoutingKey: 'x-ruleshift-source-routing-key',
  /** ISO-8601 time the rule dead-lettered the event (edge engine; Flink jobs do not set it). */
  deadLetteredAt: 'x-ruleshift-dead-lettered-at',
} as const;

/** Reasons a bad event is dead-lettered; counted per reason in metrics. */
export type DeadLetterReason =
  | 'not-json'
  | 'missing-field'
  | 'wrong-type'
  | 'late'
  | 'rule-error'
  /** business-rules with `chain`: the event still changed after `chainLimit` re-evaluations. */
  | 'chain-limit';

export const configFileNameFor = (jobId: string): string => `${jobId}.json`;
