import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { JobDetails, JobInfo } from '@ruleshift/contracts';
import { describeError } from '../api/api-error';
import { useApi } from '../auth/session';

export type OperationKind = 'start' | 'stop' | 'move' | 'uninstall';

export interface OperationState {
  kind: OperationKind;
  /** What the operator asked, e.g. "Move to edge/gw2". */
  label: string;
  /** running: the request is out; settling: answered, the job still holds the operation. */
  phase: 'running' | 'settling' | 'done' | 'failed';
  /** Why it failed. */
  message?: string;
  /** The jobInfo a finished operation answered: the job is settled once the poll shows it. */
  expected?: JobInfo;
}

/** The paper's jobInfo of a job, as start/stop/uninstall and move's relocation take it. */
export const jobInfoOf = (job: JobDetails): JobInfo => ({
  runtime: job.runtime,
  jobId: job.jobId,
  jobType: job.jobType,
  jobStatus: job.jobStatus,
  configFileName: job.configFileName,
});

/**
 * Runs one operation on a job and follows it until it ends. A 200 answers the jobInfo the
 * operation ended with: "done" waits until the polled job shows it (a poll sent before the
 * answer may still come back with the old status). A 202 (OPERATION_PENDING) means the job is
 * still held: "done" waits until the polled job no longer has a pendingOperation.
 */
export function useOperation(job: JobDetails | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [state, setState] = useState<OperationState | null>(null);

  const run = async (kind: OperationKind, label: string, body: unknown): Promise<void> => {
    if (!job) return;
    setState({ kind, label, phase: 'running' });
    try {
      const answer = await api.post<JobInfo | { code: string }>(`/api/${kind}`, body);
      const expected = 'jobStatus' in answer ? answer : undefined;
      void queryClient.invalidateQueries({ queryKey: ['job', job.jobId] });
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      setState({ kind, label, phase: 'settling', expected });
    } catch (error) {
      setState({ kind, label, phase: 'failed', message: describeError(error) });
    }
  };

  useEffect(() => {
    if (state?.phase !== 'settling' || !job || !settled(job, state.expected)) return;
    setState({ ...state, phase: 'done' });
  }, [state, job]);

  return { state, run, dismiss: () => setState(null) };
}

function settled(job: JobDetails, expected: JobInfo | undefined): boolean {
  if (job.pendingOperation || job.pendingMove) return false;
  if (!expected) return true;
  return (
    job.jobStatus === expected.jobStatus &&
    job.runtime === expected.runtime &&
    (expected.targetResource === undefined || job.targetResource === expected.targetResource)
  );
}
