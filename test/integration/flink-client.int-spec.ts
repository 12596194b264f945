/**
 * FlinkRestClient against the real Flink 1.20 session cluster (scripts/flink/up.sh; started
 * here when FLINK_REST_URL is not set and nothing answers). The job is a one-class test jar
 * built from scripts/flink/testjob, so this test does not depend on the template jobs.
 * A missing cluster fails the test: it is never skipped.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import {
  FlinkApiError,
  FlinkJobState,
  FlinkRestClient,
  FlinkUnavailableError,
} from '@ruleshift/flink-client';
import { ensureClusterAnswers } from './support/flink';
import { waitUntil } from './support/system';

const REPO = path.resolve(__dirname, '../..');
const TESTJOB_DIR = path.join(REPO, 'scripts/flink/testjob');
const TESTJOB_JAR = path.join(TESTJOB_DIR, 'target/ruleshift-flink-testjob.jar');
const ENTRY_CLASS = 'dev.ruleshift.testjob.SlowSequenceJob';
const FLINK_URL = process.env.FLINK_REST_URL ?? 'http://127.0.0.1:8081';

const newJobId = (): string => randomBytes(16).toString('hex');

function buildTestJar(): void {
  execFileSync(
    'bash',
    [
      '-c',
      'mvn -B -q -Dstyle.color=never -o package || mvn -B -q -ntp -Dstyle.color=never package',
    ],
    {
      cwd: TESTJOB_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    },
  );
}

async function waitForState(
  client: FlinkRestClient,
  jobId: string,
  state: FlinkJobState,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await client.getJob(jobId)).state;
    if (last === state) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${jobId} did not reach ${state} (last ${last})`);
}

describe('FlinkRestClient against a real Flink session cluster', () => {
  const client = new FlinkRestClient({ baseUrl: FLINK_URL, requestTimeoutMs: 20_000 });
  let jarId: string | undefined;
  const started: string[] = [];

  beforeAll(async () => {
    await ensureClusterAnswers(client);
    buildTestJar();
  });

  afterAll(async () => {
    // Best effort: leave the shared cluster as we found it.
    for (const jobId of started) {
      await client.cancelJob(jobId).catch(() => undefined);
    }
    if (jarId) await client.deleteJar(jarId).catch(() => undefined);
  });

  it('sees a TaskManager with free slots', async () => {
    const overview = await client.overview();
    expect(overview.taskmanagers).toBeGreaterThanOrEqual(1);
    expect(overview.slotsTotal).toBeGreaterThanOrEqual(1);
    expect(overview.flinkVersion).toMatch(/^1\.20\./);
  });

  it('uploads, runs, savepoints, stops, restores, cancels and deletes a job', async () => {
    jarId = await client.uploadJar(TESTJOB_JAR);
    expect(jarId).toMatch(/_ruleshift-flink-testjob\.jar$/);
    expect((await client.listJars()).map((jar) => jar.id)).toContain(jarId);

    const jobId = newJobId();
    started.push(jobId);
    await expect(
      client.runJar(jarId, {
        entryClass: ENTRY_CLASS,
        programArgsList: ['--interval-ms', '50', '--name', 'flink-client-it'],
        parallelism: 1,
        jobId,
      }),
    ).resolves.toBe(jobId);
    const running = await client.waitForJobRunning(jobId, { timeoutMs: 60_000 });
    expect(running.tasks.total).toBeGreaterThanOrEqual(2);
    expect(running.tasks.running).toBe(running.tasks.total);
    // What waitForJobRunning reads live agrees with the job's (cached) details once they refresh.
    await waitUntil(
      'GET /jobs/{id} shows every vertex RUNNING',
      async () => (await client.getJob(jobId)).vertices.every((v) => v.status === 'RUNNING'),
      10_000,
    );
    // Every vertex's saturation as Flink derives it from its task metrics (the placement
    // service's Flink backpressure signal): a level and ratios of its busiest subtask.
    for (const vertex of (await client.getJob(jobId)).vertices) {
      // Flink's first answer only asks the TaskManagers; the figures follow.
      const backpressure = await waitUntil(
        `backpressure figures of ${vertex.name}`,
        () => client.vertexBackpressure(jobId, vertex.id),
        20_000,
      );
      expect(backpressure.level).toMatch(/^(ok|low|high)$/);
      for (const ratio of [backpressure.backPressuredRatio, backpressure.busyRatio]) {
        expect(ratio).toBeGreaterThanOrEqual(0);
        expect(ratio).toBeLessThanOrEqual(1);
      }
    }

    const snapshot = await client.triggerSavepoint(jobId);
    expect(snapshot.location).toMatch(/^file:.*savepoint-/);
    expect((await client.getJob(jobId)).state).toBe('RUNNING');

    const stopped = await client.stopWithSavepoint(jobId, { drain: false });
    expect(stopped.location).toMatch(/^file:.*savepoint-/);
    await waitForState(client, jobId, 'FINISHED');

    // What a move does: the same jar, restored from the stop savepoint, under a new job id.
    const restoredId = newJobId();
    started.push(restoredId);
    await client.runJar(jarId, {
      entryClass: ENTRY_CLASS,
      programArgsList: ['--interval-ms', '50'],
      jobId: restoredId,
      savepointPath: stopped.location,
    });
    await client.waitForJobRunning(restoredId, { timeoutMs: 60_000 });

    await client.cancelJob(restoredId);
    await waitForState(client, restoredId, 'CANCELED');
    expect((await client.jobProgress(restoredId))?.state).toBe('CANCELED');
    expect(await client.jobProgress(newJobId())).toBeUndefined();

    await client.deleteJar(jarId);
    expect((await client.listJars()).map((jar) => jar.id)).not.toContain(jarId);
    jarId = undefined;
  });

  it("turns Flink's errors into FlinkApiError with the HTTP status and Flink's message", async () => {
    const missing = (await client.getJob(newJobId()).catch((e: unknown) => e)) as FlinkApiError;
    expect(missing).toBeInstanceOf(FlinkApiError);
    expect(missing.status).toBe(404);
    expect(missing.message).toMatch(/not found/i);

    const unknownJar = (await client
      .runJar('nope_missing.jar', { entryClass: ENTRY_CLASS })
      .catch((e: unknown) => e)) as FlinkApiError;
    expect(unknownJar).toBeInstanceOf(FlinkApiError);
    expect(unknownJar.status).toBeGreaterThanOrEqual(400);
    // The Flink driver re-uploads a jar the cluster lost on exactly this text (isMissingJar).
    expect(unknownJar.flinkErrors.join('\n')).toMatch(/nope_missing\.jar does not exist/);
  });

  it('reports a port where nothing listens as FlinkUnavailableError', async () => {
    const nowhere = new FlinkRestClient({ baseUrl: 'http://127.0.0.1:1', requestTimeoutMs: 5_000 });
    await expect(nowhere.overview()).rejects.toBeInstanceOf(FlinkUnavailableError);
  });
});
