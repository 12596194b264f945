/**
 * The Flink side of the integration tests: the session cluster (scripts/flink/up.sh when nothing
 * answers), the template jar, and Flink's own view of the rules' jobs (GET /jobs/overview), so a
 * test can check that nothing it started keeps a slot.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { type FlinkRestClient, FlinkUnavailableError } from '@ruleshift/flink-client';
import type { AmqpTestClient } from './amqp';
import { type ErrorBody, type JobInfo, uninstallAll } from './flink-rules';
import { FLINK_REST_URL } from './services';
import { type RuleshiftSystem, waitUntil } from './system';
import { connectOrStop, startTestSystem, type TestSystem } from './test-system';

const REPO = path.resolve(__dirname, '../../..');

/** The env that turns the adapter's flink runtime on, with a fast monitor for the tests. */
export const FLINK_SYSTEM_ENV: Record<string, string> = {
  FLINK_REST_URL,
  FLINK_MONITOR_INTERVAL_MS: '1000',
};

export interface FlinkJobOverview {
  jid: string;
  name: string;
  state: string;
}

async function overview(): Promise<{ taskmanagers: number } | undefined> {
  try {
    const response = await fetch(`${FLINK_REST_URL}/overview`, {
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok ? ((await response.json()) as { taskmanagers: number }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the repo's cluster when nothing answers, or, when a test needs several TaskManagers
 * and fewer are registered, has up.sh start the missing ones (a single missing TaskManager is
 * waited for instead: it may be one a test is restarting). Never skips: when the cluster cannot
 * be brought up the test fails (CI=true or not), with up.sh's log on stderr.
 */
export async function ensureFlinkCluster(taskManagers = 1): Promise<void> {
  const current = await overview();
  if (!current || (taskManagers > 1 && current.taskmanagers < taskManagers)) {
    execFileSync('bash', [path.join(REPO, 'scripts/flink/up.sh'), String(taskManagers)], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  }
  await waitUntil(
    `${taskManagers} TaskManager(s) registered at ${FLINK_REST_URL}`,
    async () => ((await overview())?.taskmanagers ?? 0) >= taskManagers,
    120_000,
  );
}

/**
 * For tests that talk to Flink through their own client: starts the repo's cluster when
 * nothing answers, unless FLINK_REST_URL names a cluster (which then has to answer).
 */
export async function ensureClusterAnswers(client: FlinkRestClient): Promise<void> {
  try {
    await client.overview();
    return;
  } catch (error) {
    if (!(error instanceof FlinkUnavailableError) || process.env.FLINK_REST_URL) throw error;
  }
  execFileSync('bash', [path.join(REPO, 'scripts/flink/up.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
}

/** Builds templates/flink when its sources changed (a no-op otherwise). */
export function buildFlinkJobs(): void {
  execFileSync('bash', [path.join(REPO, 'scripts/flink/build-jobs.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
}

export function taskManager(action: 'kill' | 'start'): void {
  execFileSync('bash', [path.join(REPO, 'scripts/flink/taskmanager.sh'), action], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 180_000,
  });
}

export async function flinkJobs(): Promise<FlinkJobOverview[]> {
  const response = await fetch(`${FLINK_REST_URL}/jobs/overview`);
  if (!response.ok) throw new Error(`GET /jobs/overview: HTTP ${response.status}`);
  return ((await response.json()) as { jobs: FlinkJobOverview[] }).jobs;
}

const ENDED = new Set(['FINISHED', 'CANCELED', 'FAILED']);

/** Flink jobs of one rule (the templates name them `ruleshift <jobType> <jobId>`) not ended. */
export async function liveFlinkJobsOf(jobId: string): Promise<FlinkJobOverview[]> {
  return (await flinkJobs()).filter((j) => j.name.endsWith(` ${jobId}`) && !ENDED.has(j.state));
}

/** Last resort for afterAll: whatever a failed test left running must not hold a slot. */
export async function cancelFlinkJobsOf(jobIds: Iterable<string>): Promise<void> {
  for (const jobId of jobIds) {
    for (const job of await liveFlinkJobsOf(jobId).catch(() => [])) {
      await fetch(`${FLINK_REST_URL}/jobs/${job.jid}?mode=cancel`, { method: 'PATCH' }).catch(
        () => undefined,
      );
    }
  }
}

export interface FlinkTestSystem extends TestSystem {
  /** A second edge client, so publishing never waits behind a collector's channel. */
  producer: AmqpTestClient;
  /** amqplib on the system's core vhost (pipelines' core exchanges, `ruleshift.events`). */
  core: AmqpTestClient;
}

/**
 * The Flink tests' system: the cluster up, the template jar built, then proxy, adapter (flink
 * runtime on) and agents (gw1 unless told) on vhosts of their own. stop() uninstalls the rules in `jobIds`
 * (read when stopping), cancels whatever Flink jobs of theirs are left, and stops the rest.
 */
export async function startFlinkTestSystem(
  jobIds: Set<string>,
  extraEnv: Record<string, string> = {},
  agents: string[] = ['gw1'],
  taskManagers = 1,
): Promise<FlinkTestSystem> {
  await ensureFlinkCluster(taskManagers);
  buildFlinkJobs();
  const base = await startTestSystem({
    agents,
    extraEnv: { ...FLINK_SYSTEM_ENV, ...extraEnv },
  });
  const producer = await connectOrStop(base.system, () => base.stop());
  const core = await connectOrStop(
    base.system,
    async () => {
      await producer.close();
      await base.stop();
    },
    base.system.coreAmqpUrl,
  );
  return {
    ...base,
    producer,
    core,
    stop: async () => {
      await uninstallAll(base.system, jobIds);
      await cancelFlinkJobsOf(jobIds);
      await producer.close();
      await core.close();
      await base.stop();
    },
  };
}

/** POST /api/<op>; anything but 200 fails with the response body. */
export async function callApi(
  system: RuleshiftSystem,
  op: string,
  body: unknown,
): Promise<JobInfo> {
  const response = await system.api<JobInfo & ErrorBody>('POST', `/api/${op}`, body);
  if (response.status !== 200) {
    throw new Error(`/api/${op} -> ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}
