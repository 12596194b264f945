import type { JobStatus, RuntimeKind } from './job';
import type { PipelineStatus } from './pipeline';
import type { Placement } from './rule-config';

/**
 * Topic exchange on the core broker where the adapter publishes what happens to jobs and
 * pipelines, after the registry committed it. Routing keys: `job.<jobType>.<event>` and
 * `pipeline.<event>`.
 */
export const EVENTS_EXCHANGE = 'ruleshift.events';

export type JobEventName = 'installed' | 'started' | 'stopped' | 'moved' | 'failed' | 'uninstalled';

export type PipelineEventName = 'installed' | 'started' | 'stopped' | 'failed' | 'uninstalled';

export interface JobEvent {
  kind: 'job';
  event: JobEventName;
  /** Unique per event (also the AMQP message id). */
  eventId: string;
  jobId: string;
  jobType: string;
  /** The job's status after the event. */
  status: JobStatus;
  runtime: RuntimeKind;
  targetResource: string;
  at: string;
  /** `moved`: where the job was before. The job's runtime/targetResource say where it is now. */
  from?: Placement;
  /** `failed`: the operation that failed (`install`, `start`, ...); absent when a runtime reported it. */
  operation?: string;
  /** `failed`: why; `moved`: why, when the placement policy moved the job. */
  reason?: string;
}

export interface PipelineEvent {
  kind: 'pipeline';
  event: PipelineEventName;
  eventId: string;
  pipelineId: string;
  name: string;
  status: PipelineStatus;
  at: string;
  /** `failed`: the operation and the stage that failed, and why. */
  operation?: string;
  stage?: string;
  reason?: string;
}

export type RuleshiftEvent = JobEvent | PipelineEvent;

export const routingKeyOf = (event: RuleshiftEvent): string =>
  event.kind === 'job' ? `job.${event.jobType}.${event.event}` : `pipeline.${event.event}`;
