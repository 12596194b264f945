import type { JobStatus, PipelineStatus } from '@ruleshift/contracts';

/** One status for the pipeline: its stages' when they agree, FAILED if any failed, else PARTIAL. */
export function pipelineStatusOf(stageStatuses: readonly JobStatus[]): PipelineStatus {
  if (stageStatuses.includes('FAILED')) return 'FAILED';
  const [first] = stageStatuses;
  if (first === undefined) return 'UNINSTALLED';
  return stageStatuses.every((s) => s === first) ? first : 'PARTIAL';
}
