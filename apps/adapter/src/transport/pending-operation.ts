import type { AdapterRequest, PendingOperation } from '@ruleshift/contracts';

/** Which operation, on which job, a request still running past its deadline is. */
export function pendingOperationOf(payload: unknown): PendingOperation {
  const { pattern, request } = (payload ?? {}) as Partial<AdapterRequest>;
  const fields = (request ?? {}) as { jobId?: unknown; jobInfo?: { jobId?: unknown } };
  const jobId = fields.jobId ?? fields.jobInfo?.jobId;
  return {
    operation: pattern ?? 'health',
    ...(typeof jobId === 'string' ? { jobId } : {}),
  };
}
