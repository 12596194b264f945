import type { JobDetails, JobInfo } from '@ruleshift/contracts';
import { OperationFailed } from '../api/api-failure';
import { isPending, type OperationAnswer, type RuleshiftApi } from '../api/ruleshift-api';
import { placementOf } from '../output/format';
import type { StepProgress } from '../progress/step-progress';

/** While the request is in flight: an embedded move's steps last a few hundred ms each. */
const WATCH_MS = 100;
/** After a 202 the operation takes seconds to minutes (Flink). */
const POLL_MS = 500;
/** Longer than any operation the adapter runs (Flink start and savepoint wait 120 s each). */
const WAIT_LIMIT_MS = 10 * 60_000;

const MOVE_STEP_TEXT: Record<string, (from: string, to: string) => string> = {
  STOPPING: (from) => `stopping on ${from}`,
  UNINSTALLING: (from) => `uninstalling from ${from}`,
  INSTALLING: (_, to) => `installing on ${to}`,
  STARTING: (_, to) => `starting on ${to}`,
};

/**
 * Runs a rule operation and returns the job as it ended. While the request is in flight (and
 * after a 202, when the adapter goes on past the proxy's deadline) the job is polled, so the
 * progress line shows the operation's current step; a job that ends FAILED is an
 * OperationFailed carrying the runtime's reason.
 */
export async function runOperation(
  api: RuleshiftApi,
  job: JobDetails,
  operation: { name: string; headline: string },
  progress: StepProgress,
  call: () => Promise<OperationAnswer<JobInfo>>,
): Promise<JobDetails> {
  const from = placementOf(job);
  progress.step(operation.headline);
  let settled = false;
  const watching = progress.enabled
    ? watchSteps(api, job.jobId, from, progress, () => settled)
    : null;
  let answer: OperationAnswer<JobInfo>;
  try {
    answer = await call();
  } catch (error) {
    settled = true;
    await watching;
    progress.finish();
    throw error;
  }
  settled = true;
  await watching;
  const final = isPending(answer)
    ? await waitUntilIdle(api, job.jobId, from, progress)
    : await api.job(answer.jobId);
  if (final.jobStatus === 'FAILED') {
    progress.finish('FAILED');
    throw new OperationFailed(
      `${operation.name} ended FAILED on ${placementOf(final)}: ${final.failureReason ?? 'no reason given'}`,
    );
  }
  progress.finish(`${final.jobStatus} on ${placementOf(final)}`);
  return final;
}

async function watchSteps(
  api: RuleshiftApi,
  jobId: string,
  from: string,
  progress: StepProgress,
  settled: () => boolean,
): Promise<void> {
  while (!settled()) {
    await sleep(WATCH_MS);
    if (settled()) return;
    const job = await api.job(jobId).catch(() => undefined);
    if (job) showStep(job, from, progress);
  }
}

async function waitUntilIdle(
  api: RuleshiftApi,
  jobId: string,
  from: string,
  progress: StepProgress,
): Promise<JobDetails> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const job = await api.job(jobId);
    if (!job.pendingOperation && !job.pendingMove) return job;
    if (Date.now() > deadline) {
      throw new OperationFailed(
        `${job.pendingOperation ?? 'the operation'} on job ${jobId} has not ended after ${WAIT_LIMIT_MS / 60_000} minutes`,
      );
    }
    showStep(job, from, progress);
    await sleep(POLL_MS);
  }
}

function showStep(job: JobDetails, from: string, progress: StepProgress): void {
  const move = job.pendingMove;
  if (!move) return;
  const to = `${move.targetRuntime}/${move.targetResource}`;
  const text = MOVE_STEP_TEXT[move.step];
  if (text) progress.step(text(from, to));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
