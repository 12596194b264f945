/**
 * `npm start` as its own process: the built entry (dist/apps/standalone/src/main.js, what
 * `npm start` runs after building) on a data dir the caller keeps, so a test can stop it (a
 * signal, as an operator's Ctrl-C or a kill) and start it again on the same dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeInfo } from '@ruleshift/contracts';
import { sendHttp } from './embedded-http';

const ROOT = join(__dirname, '..', '..');
export const STANDALONE_MAIN = join(ROOT, 'dist', 'apps', 'standalone', 'src', 'main.js');
/** Environment that would take `npm start` off its embedded defaults. */
const NOT_EMBEDDED =
  /^(DATABASE_URL|EDGE_AMQP_URL|CORE_AMQP_URL|BROKER_.*|FLINK_REST_URL|RULESHIFT_.*|EXTRA_AGENT_IDS|PORT|HOST|OIDC_.*|AGENT_.*)$/;

export const NPM_START_ADMIN_TOKEN = 'npm-start-process-admin-token-0123456789abcdef';

export interface NpmStartOptions {
  dataDir: string;
  port: number;
  extraAgentIds?: string[];
}

export class NpmStartProcess {
  output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Spawns `npm start` and resolves once it said it listens (its agents have resumed their
   * rules by then) and every agent's heartbeat since the spawn lists it UP.
   */
  static async start(options: NpmStartOptions): Promise<NpmStartProcess> {
    const started = NpmStartProcess.spawn(options);
    try {
      await started.waitUntilReady(['local', ...(options.extraAgentIds ?? [])], new Date());
    } catch (error) {
      await started.stop('SIGKILL');
      throw error;
    }
    return started;
  }

  /** Spawns `npm start` without waiting for it (e.g. to see it refuse to start). */
  static spawn(options: NpmStartOptions): NpmStartProcess {
    if (!existsSync(STANDALONE_MAIN)) {
      throw new Error(`${STANDALONE_MAIN} is missing: run npm run build`);
    }
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !NOT_EMBEDDED.test(name)),
    );
    const child = spawn(process.execPath, [STANDALONE_MAIN], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(options.port),
        RULESHIFT_DATA_DIR: options.dataDir,
        RULESHIFT_ADMIN_TOKEN: NPM_START_ADMIN_TOKEN,
        HEARTBEAT_INTERVAL_MS: '500',
        ...(options.extraAgentIds ? { EXTRA_AGENT_IDS: options.extraAgentIds.join(',') } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new NpmStartProcess(child, `http://127.0.0.1:${options.port}`);
  }

  /** Resolves with the exit code once the process has ended by itself. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** Sends `signal` and resolves with the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private async waitUntilReady(agents: string[], spawnedAt: Date): Promise<void> {
    const port = Number(new URL(this.url).port);
    for (;;) {
      if (this.child.exitCode !== null) {
        throw new Error(`npm start exited ${this.child.exitCode}: ${this.output.slice(-2000)}`);
      }
      const answer = await sendHttp(port, {
        method: 'GET',
        path: '/api/runtimes',
        headers: { authorization: `Bearer ${NPM_START_ADMIN_TOKEN}` },
      }).catch(() => undefined);
      if (answer?.status === 200 && this.output.includes('ruleshift listening on')) {
        // A restart finds the previous run's last heartbeat, still recent: not this run's.
        const up = (answer.json as RuntimeInfo[])
          .filter((r) => r.health === 'UP' && new Date(r.lastSeenAt ?? 0) >= spawnedAt)
          .map((r) => r.targetResource);
        if (agents.every((agent) => up.includes(agent))) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
