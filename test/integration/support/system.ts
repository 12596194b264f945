/**
 * Runs ruleshift as an operator would: proxy, adapter and agents as separate Node processes
 * (from dist/, built by `npm run test:integration`) against the real RabbitMQ and PostgreSQL.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import * as amqp from 'amqplib';
import { createPrivateVhosts, type PrivateVhosts } from './private-vhosts';
import { amqpUrl, POSTGRES_URL } from './services';

const ROOT = path.resolve(__dirname, '../../..');
const entry = (app: string): string => path.join(ROOT, 'dist/apps', app, 'src/main.js');

/** Distinct free ports: all probe servers stay open until every port is known. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

class ManagedProcess {
  private child?: ChildProcess;
  private output: string[] = [];

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    this.child = spawn(process.execPath, [this.script], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString());
      if (this.output.length > 400) this.output.splice(0, 200);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  logs(): string {
    return this.output.join('');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface SystemOptions {
  agents: string[];
  /**
   * Give this system its own pair of vhosts (edge and core roles) instead of the shared
   * `edge`/`core`: the adapter's request queue and the agents' control queues live on the core
   * vhost, so two systems running at once (a benchmark beside a test) must not share it.
   */
  isolatedVhosts?: boolean;
  heartbeatIntervalMs?: number;
  extraEnv?: Record<string, string>;
  /**
   * Processes (`adapter`, `proxy` or agent ids) not started with the others: the test starts
   * them with `restart(name)`. The agents are not awaited when the adapter is among them.
   */
  startLater?: string[];
}

export class RuleshiftSystem {
  readonly proxyUrl: string;
  private readonly processes = new Map<string, ManagedProcess>();

  private constructor(
    private readonly database: string,
    private readonly dataDir: string,
    proxyPort: number,
    private readonly vhosts: { edgeUrl: string; coreUrl: string; owned?: PrivateVhosts },
  ) {
    this.proxyUrl = `http://127.0.0.1:${proxyPort}`;
  }

  /** amqp URL (with credentials) of this system's edge broker, for test producers/consumers. */
  get edgeAmqpUrl(): string {
    return this.vhosts.edgeUrl;
  }

  get coreAmqpUrl(): string {
    return this.vhosts.coreUrl;
  }

  /** PostgreSQL URL of this system's registry database. */
  get databaseUrl(): string {
    return `${POSTGRES_URL}/${this.database}`;
  }

  static async start(options: SystemOptions): Promise<RuleshiftSystem> {
    const database = `ruleshift_it_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();

    const dataDir = mkdtempSync(path.join(tmpdir(), 'ruleshift-it-'));
    const [proxyPort, adapterPort] = await freePorts(2);
    const owned = options.isolatedVhosts
      ? createPrivateVhosts(`ruleshift-it-${Date.now()}`)
      : undefined;
    const vhosts = owned
      ? { edgeUrl: owned.edgeUrl, coreUrl: owned.coreUrl, owned }
      : { edgeUrl: amqpUrl('edge'), coreUrl: amqpUrl('core') };
    const system = new RuleshiftSystem(database, dataDir, proxyPort, vhosts);
    const common: Record<string, string> = {
      EDGE_AMQP_URL: system.edgeAmqpUrl,
      CORE_AMQP_URL: system.coreAmqpUrl,
      RULESHIFT_DATA_DIR: dataDir,
      HEARTBEAT_INTERVAL_MS: String(options.heartbeatIntervalMs ?? 500),
      ...(options.extraEnv ?? {}),
    };
    system.add(
      'adapter',
      new ManagedProcess('adapter', entry('adapter'), {
        ...common,
        DATABASE_URL: `${POSTGRES_URL}/${database}`,
        ADAPTER_HTTP_PORT: String(adapterPort),
        ADAPTER_PUBLIC_URL: `http://127.0.0.1:${adapterPort}`,
      }),
    );
    system.add(
      'proxy',
      new ManagedProcess('proxy', entry('proxy'), { ...common, PORT: String(proxyPort) }),
    );
    for (const agentId of options.agents) {
      system.add(
        agentId,
        new ManagedProcess(agentId, entry('agent'), {
          ...common,
          AGENT_ID: agentId,
          AGENT_DATA_DIR: path.join(dataDir, `agent-${agentId}`),
        }),
      );
    }
    await dropControlQueues(system.coreAmqpUrl, options.agents);
    const later = new Set(options.startLater ?? []);
    for (const process of system.processes.values()) {
      if (!later.has(process.name)) process.start();
    }
    try {
      if (!later.has('adapter')) await system.waitForAgents(options.agents);
    } catch (error) {
      const logs = system.logs();
      await system.stop();
      throw new Error(`${String(error)}\n${logs}`);
    }
    return system;
  }

  private add(name: string, process: ManagedProcess): void {
    this.processes.set(name, process);
  }

  async api<T = unknown>(
    method: string,
    urlPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.proxyUrl}${urlPath}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async waitForAgents(agentIds: string[], timeoutMs = 60_000): Promise<void> {
    await waitUntil(
      `agents ${agentIds.join(', ')} UP`,
      async () => {
        const { status, body } = await this.api<{ targetResource: string; health: string }[]>(
          'GET',
          '/api/runtimes',
        );
        if (status !== 200) return false;
        return agentIds.every((id) =>
          body.some((r) => r.targetResource === id && r.health === 'UP'),
        );
      },
      timeoutMs,
    );
  }

  process(name: string): ManagedProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`no process ${name}`);
    return found;
  }

  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.process(name).stop(signal);
  }

  restart(name: string): void {
    this.process(name).start();
  }

  logs(): string {
    return [...this.processes.values()].map((p) => `---- ${p.name}\n${p.logs()}`).join('\n');
  }

  async stop(): Promise<void> {
    for (const process of [...this.processes.values()].reverse()) await process.stop();
    const admin = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    await admin.end();
    rmSync(this.dataDir, { recursive: true, force: true });
    this.vhosts.owned?.remove();
  }
}

/**
 * Agents keep a durable control queue per id on the shared `core` vhost; commands a previous
 * test run left there (they expire after 30 s) must not reach this run's agents.
 */
async function dropControlQueues(coreUrl: string, agentIds: string[]): Promise<void> {
  const connection = await amqp.connect(coreUrl);
  const channel = await connection.createChannel();
  for (const agentId of agentIds) await channel.deleteQueue(`ruleshift.agent.${agentId}`);
  await connection.close();
}
