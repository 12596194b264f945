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
  message?: string;
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
 * Runs one operation on a job and follows it until it ends: the POST may answer 202 with the
 * job still held (`pendingOperation`), so "done" waits until the polled job no longer is.
 */
export function useOperation(job: JobDetails | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [state, setState] = useState<OperationState | null>(null);

  const run = async (kind: OperationKind, label: string, body: unknown): Promise<void> => {
    if (!job) return;
    setState({ kind, label, phase: 'running' });
    try {
      await api.post<JobInfo>(`/api/${kind}`, body);
      await queryClient.refetchQueries({ queryKey: ['job', job.jobId] });
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      setState({ kind, label, phase: 'settling' });
    } catch (error) {
      setState({ kind, label, phase: 'failed', message: describeError(error) });
    }
  };

  const held = job ? Boolean(job.pendingOperation ?? job.pendingMove) : false;
  useEffect(() => {
    if (state?.phase !== 'settling' || !job || held) return;
    setState({
      ...state,
      phase: 'done',
      message: `${job.jobStatus} on ${job.runtime}/${job.targetResource}`,
    });
  }, [state, job, held]);

  return { state, run, dismiss: () => setState(null) };
}
