/**
 * `npm start` as a newcomer meets it: the built entry (dist/apps/standalone/src/main.js, what
 * `npm start` runs after building) as its own process, one agent and no rules, embedded
 * defaults (no broker, database or Flink URL, no admin token in the environment). Started on a
 * fresh data dir, then restarted on the same dir. Per start: ms from spawn to the first HTTP
 * answer of any status, ms to ready (GET /api/runtimes lists agent `local` UP), then VmRSS 3 s
 * after ready and VmHWM (the peak). Medians over BENCH_STANDALONE_REPS rounds.
 *
 * BENCH_STANDALONE_BASELINE_ENTRY: the same entry of another build (e.g. main before a change,
 * built in a checkout of its own); measured in the same run, alternating with this build's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, report } from '../stats';
import { sleep } from './pacer';
import { readVmHwmBytes, readVmRssBytes } from './proc-status';
import { mb, positiveIntEnv } from './settings';

const BENCH = 'standalone-start';
const ENTRY = resolve(__dirname, '../../../dist/apps/standalone/src/main.js');
/** Environment that would take `npm start` off its embedded defaults. */
const NOT_EMBEDDED =
  /^(DATABASE_URL|EDGE_AMQP_URL|CORE_AMQP_URL|BROKER_.*|FLINK_REST_URL|RULESHIFT_.*|EXTRA_AGENT_IDS|PORT|HOST|OIDC_.*)$/;

interface StartFigures {
  firstAnswerMs: number;
  readyMs: number;
  rssBytes: number;
  peakBytes: number;
}

interface Measured {
  fresh: StartFigures[];
  restart: StartFigures[];
}

export async function standaloneStart(): Promise<void> {
  const reps = positiveIntEnv('BENCH_STANDALONE_REPS', 3);
  const entries: Array<[string, string]> = [['this build', ENTRY]];
  const baseline = process.env.BENCH_STANDALONE_BASELINE_ENTRY;
  if (baseline) entries.push(['baseline', resolve(baseline)]);
  const measured = new Map<string, Measured>(
    entries.map(([label]) => [label, { fresh: [], restart: [] }]),
  );
  for (let round = 0; round < reps; round++) {
    for (const [label, entry] of entries) {
      const dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-bench-start-'));
      try {
        const figures = measured.get(label)!;
        figures.fresh.push(await measureStart(entry, dataDir));
        figures.restart.push(await measureStart(entry, dataDir));
        process.stderr.write(
          `   ${label} round ${round + 1}: fresh ${describe(figures.fresh.at(-1)!)}; ` +
            `restart ${describe(figures.restart.at(-1)!)}\n`,
        );
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  for (const [label, entry] of entries) {
    const { fresh, restart } = measured.get(label)!;
    const note = label === 'baseline' ? entry : undefined;
    for (const [start, runs] of [
      ['fresh data dir', fresh],
      ['restart', restart],
    ] as const) {
      const of = (pick: (f: StartFigures) => number): number => median(runs.map(pick));
      report({
        bench: BENCH,
        metric: `${label}, ${start}: VmRSS 3 s after ready`,
        value: mb(of((f) => f.rssBytes)),
        unit: 'MB',
        target: '<= 300',
        note,
      });
      report({
        bench: BENCH,
        metric: `${label}, ${start}: VmHWM (peak)`,
        value: mb(of((f) => f.peakBytes)),
        unit: 'MB',
      });
      report({
        bench: BENCH,
        metric: `${label}, ${start}: first HTTP answer after spawn`,
        value: Math.round(of((f) => f.firstAnswerMs)),
        unit: 'ms',
      });
      report({
        bench: BENCH,
        metric: `${label}, ${start}: ready (agent local UP) after spawn`,
        value: Math.round(of((f) => f.readyMs)),
        unit: 'ms',
      });
    }
  }
}

const describe = (f: StartFigures): string =>
  `first answer ${f.firstAnswerMs} ms, ready ${f.readyMs} ms, ` +
  `VmRSS ${mb(f.rssBytes)} MB, peak ${mb(f.peakBytes)} MB`;

async function measureStart(entry: string, dataDir: string): Promise<StartFigures> {
  const port = await freePort();
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !NOT_EMBEDDED.test(name)),
  );
  const started = Date.now();
  const child = spawn(process.execPath, [entry], {
    // The repository of the entry: templates and the console are found from there.
    cwd: resolve(entry, '../../../../..'),
    env: { ...env, PORT: String(port), RULESHIFT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    let firstAnswerMs = Number.NaN;
    let token: string | undefined;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output.slice(-500)}`);
      if (Date.now() - started > 300_000) throw new Error('not ready after 300 s');
      token ??= await readToken(dataDir);
      const answer = await get(port, '/api/runtimes', token);
      if (answer && Number.isNaN(firstAnswerMs)) firstAnswerMs = Date.now() - started;
      if (answer?.status === 200 && localIsUp(answer.body)) break;
      await sleep(50);
    }
    const readyMs = Date.now() - started;
    await sleep(3000);
    const pid = child.pid!;
    return {
      firstAnswerMs,
      readyMs,
      rssBytes: readVmRssBytes(pid),
      peakBytes: readVmHwmBytes(pid),
    };
  } finally {
    await stop(child, exited);
  }
}

const localIsUp = (body: string): boolean => {
  const runtimes = JSON.parse(body) as Array<{ targetResource: string; health: string }>;
  return runtimes.some((r) => r.targetResource === 'local' && r.health === 'UP');
};

async function readToken(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** One GET; undefined when nothing answered within a second (refused or left hanging). */
function get(
  port: number,
  path: string,
  token: string | undefined,
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        timeout: 1000,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        res.on('error', () => done(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
