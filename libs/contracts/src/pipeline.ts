import type { Connectors, InstallationHeaders, JobDetails, JobInfo, JobStatus } from './job';

/**
 * A stage of a pipeline: an installation object with a name and the stages it reads. Its
 * connectors may leave out what the adapter wires (inputs of a stage with `from`, the output of
 * a stage others read); what it gives itself is kept.
 */
export interface PipelineStage {
  name: string;
  /** Stages this one reads, in input order (two for a window-join: left, then right). */
  from?: string[];
  headers: InstallationHeaders;
  jobConfig: { connectors: Partial<Connectors> };
  jobProps: Record<string, unknown>;
}

/** `POST /api/pipelines`. */
export interface PipelineObject {
  name: string;
  stages: PipelineStage[];
}

/**
 * Derived from the stages: every stage in one status gives that status; any FAILED stage gives
 * FAILED; otherwise PARTIAL (e.g. some stages RUNNING, others STOPPED).
 */
export type PipelineStatus = JobStatus | 'PARTIAL';

export interface PipelineStageInfo {
  name: string;
  from: string[];
  jobInfo: JobInfo;
}

/** The answer of create, start, stop and uninstall, and one row of `GET /api/pipelines`. */
export interface PipelineInfo {
  pipelineId: string;
  name: string;
  status: PipelineStatus;
  stages: PipelineStageInfo[];
}

/** An exchange the adapter declared between two stages (deleted with the pipeline). */
export interface PipelineExchange {
  endpoint: string;
  exchange: string;
}

export interface PipelineStageDetails extends PipelineStageInfo {
  /** The stage's job as `GET /api/jobs/{jobId}` shows it: placement, status, metrics. */
  job: JobDetails;
}

/** `GET /api/pipelines/{id}`. */
export interface PipelineDetails extends Omit<PipelineInfo, 'stages'> {
  stages: PipelineStageDetails[];
  exchanges: PipelineExchange[];
  createdAt: string;
  updatedAt: string;
  /** The pipeline operation running now (`create`, `start`, `stop`, `uninstall`). */
  pendingOperation?: string;
}

/** Pipeline names and stage names: they become parts of AMQP names and URLs. */
export const PIPELINE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
