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

interface JobOverview {
  jid: string;
  name: string;
  state: string;
}

/** True when the rule's job is RUNNING and so is every one of its vertices. */
export async function allVerticesRunning(jobId: string): Promise<boolean> {
  const jobs = (await getJson<{ jobs: JobOverview[] }>('/jobs/overview'))?.jobs ?? [];
  const job = jobs.find((j) => j.name.endsWith(` ${jobId}`) && j.state === 'RUNNING');
  if (!job) return false;
  const details = await getJson<{ vertices: { status: string }[] }>(`/jobs/${job.jid}`);
  return (
    !!details &&
    details.vertices.length > 0 &&
    details.vertices.every((v) => v.status === 'RUNNING')
  );
}

export async function waitAllVerticesRunning(jobId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await allVerticesRunning(jobId))) {
    if (Date.now() > deadline)
      throw new Error(`Flink job of ${jobId} not RUNNING in ${timeoutMs} ms`);
    await sleep(25);
  }
}
