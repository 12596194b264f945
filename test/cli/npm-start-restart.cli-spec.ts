/**
 * An operator restarts `npm start` (the built entry as its own process, embedded defaults) on
 * the same data dir, and drives it with the `ruleshift` CLI: after a clean stop (SIGTERM) a
 * running rule is RUNNING again and processes new events, and events that waited in a stopped
 * rule's input queue are still there for it when it starts; after a kill (SIGKILL) the rule is
 * RUNNING again too (what a kill loses is documented in the README).
 */
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobInfo } from '@ruleshift/contracts';
import { NPM_START_ADMIN_TOKEN, NpmStartProcess } from '../support/npm-start-process';
import { assertCliBuilt, CliProcess, runCli } from './support/cli-process';

const ruleFile = (input: 'a' | 'b') => ({
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
  jobConfig: {
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'restart-sensors',
      inputQueue: `restart-${input}.in`,
      inputRoutingKey: input,
      outputEndpoint: 'edge',
      outputExchange: 'restart-alerts',
      outputRoutingKey: `hot-${input}`,
    },
  },
  jobProps: { condition: '>', threshold: 20, fieldName: 'temperature' },
});

describe('npm start restarted on the same data dir (process, CLI)', () => {
  let workDir: string;
  let dataDir: string;
  let port: number;
  let server: NpmStartProcess | undefined;
  const jobs: Record<'a' | 'b', string> = { a: '', b: '' };

  const env = () => ({ RULESHIFT_SERVER: server!.url, RULESHIFT_TOKEN: NPM_START_ADMIN_TOKEN });
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const run = await runCli(args, { cwd: workDir, env: env(), stdin });
    expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
    return run.stdout;
  };
  const publish = (routingKey: string, events: unknown[]) =>
    ok(['publish', 'restart-sensors', routingKey, '-f', '-'], JSON.stringify(events));
  /** Starts a tail of `restart-alerts <routingKey>` that ends after `count` events. */
  const tail = async (routingKey: string, count: number): Promise<CliProcess> => {
    const tailing = new CliProcess(
      ['tail', 'restart-alerts', routingKey, '--count', String(count)],
      { cwd: workDir, env: env() },
    );
    await tailing.waitFor('stderr', `tailing restart-alerts ${routingKey}`);
    return tailing;
  };
  const tailed = async (tailing: CliProcess): Promise<unknown[]> => {
    const run = await tailing.exited;
    expect(run.code).toBe(0);
    return run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
  };
  /** Waits until the job is RUNNING; a FAILED job fails the test with its reason. */
  const running = async (jobId: string): Promise<void> => {
    for (;;) {
      const job = JSON.parse(await ok(['describe', 'job', jobId, '-o', 'json'])) as JobInfo;
      if (job.jobStatus === 'RUNNING') return;
      expect(job).not.toMatchObject({ jobStatus: 'FAILED' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const boot = async () => {
    server = await NpmStartProcess.start({ dataDir, port });
  };

  beforeAll(async () => {
    assertCliBuilt();
    workDir = await mkdtemp(join(tmpdir(), 'ruleshift-restart-cli-'));
    dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-restart-data-'));
    port = await freePort();
    await boot();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) console.log(server?.output);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (workDir) await rm(workDir, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('installs and starts two rules; b is stopped with events waiting in its input queue', async () => {
    for (const input of ['a', 'b'] as const) {
      const file = join(workDir, `${input}.json`);
      await writeFile(file, JSON.stringify(ruleFile(input)));
      jobs[input] = (await ok(['install', '-f', file, '-o', 'name'])).trim();
      await ok(['start', jobs[input]]);
    }
    const alerts = await tail('hot-a', 1);
    await publish('a', [{ n: 'a1', temperature: 30 }]);
    expect(await tailed(alerts)).toEqual([{ n: 'a1', temperature: 30 }]);

    await ok(['stop', jobs.b]);
    await publish('b', [
      { n: 'b1', temperature: 31 },
      { n: 'b2', temperature: 5 },
      { n: 'b3', temperature: 32 },
    ]);
  });

  it('a second npm start on the same port exits 1 with one line saying what to do', async () => {
    const second = NpmStartProcess.spawn({ dataDir, port });
    expect(await second.exit()).toBe(1);
    expect(second.output).toContain(
      `ruleshift failed to start: listen EADDRINUSE: address already in use 127.0.0.1:${port} ` +
        '(another process listens there: stop it, or set PORT to another port)',
    );
  });

  it('stops cleanly and starts again: a is RUNNING and processes a new event', async () => {
    expect(await server!.stop('SIGTERM')).toBe(0);
    await boot();
    await running(jobs.a);
    const alerts = await tail('hot-a', 1);
    await publish('a', [{ n: 'a2', temperature: 40 }]);
    expect(await tailed(alerts)).toEqual([{ n: 'a2', temperature: 40 }]);
  });

  it('b, started after the restart, processes the events that waited in its queue', async () => {
    const alerts = await tail('hot-b', 3);
    await ok(['start', jobs.b]);
    await running(jobs.b);
    // b3 was accepted before the stop, b4 after the restart: both in order after b1.
    await publish('b', [{ n: 'b4', temperature: 33 }]);
    expect(await tailed(alerts)).toEqual([
      { n: 'b1', temperature: 31 },
      { n: 'b3', temperature: 32 },
      { n: 'b4', temperature: 33 },
    ]);
  });

  it('after a kill (SIGKILL) both rules are RUNNING again and process new events', async () => {
    await server!.stop('SIGKILL');
    await boot();
    await running(jobs.a);
    await running(jobs.b);
    const alertsA = await tail('hot-a', 1);
    const alertsB = await tail('hot-b', 1);
    await publish('a', [{ n: 'a3', temperature: 50 }]);
    await publish('b', [{ n: 'b5', temperature: 51 }]);
    expect(await tailed(alertsA)).toEqual([{ n: 'a3', temperature: 50 }]);
    expect(await tailed(alertsB)).toEqual([{ n: 'b5', temperature: 51 }]);
  });
});

/** A port nothing listens on now, the same for every start of the test's npm start. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
