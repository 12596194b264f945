import type { JobDetails, JobInfo, RuleMetrics, StatusChange } from '@ruleshift/contracts';
import type { JobStatusHistoryEntity } from '../registry/entities/job-status-history.entity';
import type { JobEntity } from '../registry/entities/job.entity';
import type { MoveOperationEntity } from '../registry/entities/move-operation.entity';

export function toJobInfo(job: JobEntity): JobInfo {
  return {
    runtime: job.runtime,
    jobId: job.id,
    jobType: job.jobType,
    jobStatus: job.status,
    configFileName: job.configFileName,
    targetResource: job.targetResource,
  };
}

export function toStatusChange(row: JobStatusHistoryEntity): StatusChange {
  return {
    status: row.status,
    runtime: row.runtime,
    targetResource: row.targetResource,
    at: new Date(row.at).toISOString(),
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

export function toJobDetails(
  job: JobEntity,
  history: JobStatusHistoryEntity[],
  metrics: RuleMetrics | undefined,
  move: MoveOperationEntity | null,
): JobDetails {
  return {
    ...toJobInfo(job),
    targetResource: job.targetResource,
    templateVersion: job.templateVersion,
    connectors: job.config.connectors,
    jobProps: job.config.jobProps,
    createdAt: new Date(job.createdAt).toISOString(),
    updatedAt: new Date(job.updatedAt).toISOString(),
    ...(job.failureReason ? { failureReason: job.failureReason } : {}),
    history: history.map(toStatusChange),
    ...(metrics ? { metrics } : {}),
    ...(job.operation ? { pendingOperation: job.operation } : {}),
    ...(move
      ? {
          pendingMove: {
            id: move.id,
            step: move.step,
            targetRuntime: move.toRuntime,
            targetResource: move.toResource,
          },
        }
      : {}),
  };
}
