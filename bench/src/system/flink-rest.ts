/** Flink's own view of a rule's job (the templates name jobs `ruleshift <jobType> <jobId>`). */
import { FLINK_REST_URL } from '../../../test/integration/support/services';
import { sleep } from './pacer';

export const flinkRestUrl = FLINK_REST_URL;

async function getJson<T>(path: string): Promise<T | undefined> {
  try {
    const response = await fetch(`${flinkRestUrl}${path}`, { signal: AbortSignal.timeout(3000) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

export async function flinkAnswers(): Promise<boolean> {
  return (await getJson<{ taskmanagers: number }>('/overview')) !== undefined;
}

export interface LiveJob {
  jid: string;
  name: string;
  state: string;
  /** Subtasks per execution state (lower case) and `total`. */
  tasks: Record<string, number>;
}

/**
 * The rule's newest Flink job as GET /jobs/overview lists it. That list is read live from the
 * Dispatcher; GET /jobs/{id} is cached for web.refresh-interval and may be seconds old.
 */
export async function liveJobOf(jobId: string): Promise<LiveJob | undefined> {
  const jobs = (await getJson<{ jobs: (LiveJob & { 'start-time': number })[] }>('/jobs/overview'))
    ?.jobs;
  return jobs
    ?.filter((j) => j.name.endsWith(` ${jobId}`))
    .sort((a, b) => b['start-time'] - a['start-time'])[0];
}

/** When a job got through each step of its start, in Date.now() milliseconds. */
export interface FlinkJobTimeline {
  /** The Dispatcher received the job graph (job INITIALIZING). */
  submitted: number;
  jobRunning: number;
  lastDeploying: number;
  lastInitializing: number;
  lastRunning: number;
}

interface SubtaskTimes {
  subtasks: { timestamps: Record<string, number> }[];
}

/**
 * Reads the start timeline of the rule's newest job (also after it ended): the job's state
 * timestamps and, over all subtasks of all vertices, the latest entry into each start state.
 */
export async function flinkJobTimeline(jobId: string): Promise<FlinkJobTimeline> {
  const job = await liveJobOf(jobId);
  if (!job) throw new Error(`Flink lists no job of rule ${jobId}`);
  const details = await getJson<{
    timestamps: Record<string, number>;
    vertices: { id: string }[];
  }>(`/jobs/${job.jid}`);
  if (!details) throw new Error(`GET /jobs/${job.jid} did not answer`);
  const latest = { DEPLOYING: 0, INITIALIZING: 0, RUNNING: 0 };
  for (const vertex of details.vertices) {
    const times = await getJson<SubtaskTimes>(
      `/jobs/${job.jid}/vertices/${vertex.id}/subtasktimes`,
    );
    for (const subtask of times?.subtasks ?? []) {
      for (const state of Object.keys(latest) as (keyof typeof latest)[]) {
        latest[state] = Math.max(latest[state], subtask.timestamps[state] ?? 0);
      }
    }
  }
  return {
    submitted: details.timestamps.INITIALIZING,
    jobRunning: details.timestamps.RUNNING,
    lastDeploying: latest.DEPLOYING,
    lastInitializing: latest.INITIALIZING,
    lastRunning: latest.RUNNING,
  };
}

/** Until Flink's live overview lists the rule's job RUNNING with all of its subtasks RUNNING. */
export async function waitLiveRunning(jobId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await liveJobOf(jobId);
    if (job?.state === 'RUNNING' && job.tasks.total > 0 && job.tasks.running === job.tasks.total) {
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`Flink job of ${jobId} not RUNNING in ${timeoutMs} ms`);
    await sleep(10);
  }
}
