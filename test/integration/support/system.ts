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

/** The proxy's RULESHIFT_ADMIN_TOKEN in every system; `api()` sends it unless told otherwise. */
export const TEST_ADMIN_TOKEN = 'rs_integration-admin-token-0123456789';
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

export class ManagedProcess {
  private child?: ChildProcess;
  private output: string[] = [];

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  /** For the next start, e.g. the enrolment token an agent gets once its adapter is up. */
  setEnv(name: string, value: string): void {
    this.env[name] = value;
  }

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

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
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
  /** How long the processes may take to come up (a loaded machine boots slowly). */
  bootTimeoutMs?: number;
  /** Standby adapters (`adapter-2`, ...) on the same registry, started after the first. */
  standbyAdapters?: number;
  /** Per-agent env on top of the common one (e.g. a CORE_AMQP_URL through a cuttable link). */
  agentEnv?: (urls: { edgeUrl: string; coreUrl: string }) => Record<string, Record<string, string>>;
  /**
   * Processes (`adapter`, `proxy` or agent ids) not started with the others: the test starts
   * them with `restart(name)`. The agents are not awaited when the adapter is among them.
   */
  startLater?: string[];
}

export class RuleshiftSystem {
  readonly proxyUrl: string;
  readonly databaseUrl: string;
  private readonly processes = new Map<string, ManagedProcess>();
  private agentIds: string[] = [];
  private agentsStartedLater = new Set<string>();
  /** Admission of the agents, which needs an adapter: started with the first one that starts. */
  private enrolment: Promise<void> | undefined;

  private constructor(
    private readonly database: string,
    private readonly dataDir: string,
    proxyPort: number,
    private readonly vhosts: { edgeUrl: string; coreUrl: string; owned?: PrivateVhosts },
  ) {
    this.proxyUrl = `http://127.0.0.1:${proxyPort}`;
    this.databaseUrl = `${POSTGRES_URL}/${database}`;
  }

  /** amqp URL (with credentials) of this system's edge broker, for test producers/consumers. */
  get edgeAmqpUrl(): string {
    return this.vhosts.edgeUrl;
  }

  get coreAmqpUrl(): string {
    return this.vhosts.coreUrl;
  }

  static async start(options: SystemOptions): Promise<RuleshiftSystem> {
    const database = `ruleshift_it_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();

    const dataDir = mkdtempSync(path.join(tmpdir(), 'ruleshift-it-'));
    const standbys = options.standbyAdapters ?? 0;
    const [proxyPort, ...adapterPorts] = await freePorts(2 + standbys);
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
    adapterPorts.forEach((adapterPort, index) => {
      const name = index === 0 ? 'adapter' : `adapter-${index + 1}`;
      system.add(
        name,
        new ManagedProcess(name, entry('adapter'), {
          ...common,
          DATABASE_URL: system.databaseUrl,
          ADAPTER_HTTP_PORT: String(adapterPort),
          ADAPTER_PUBLIC_URL: `http://127.0.0.1:${adapterPort}`,
        }),
      );
    });
    system.add(
      'proxy',
      new ManagedProcess('proxy', entry('proxy'), {
        ...common,
        PORT: String(proxyPort),
        RULESHIFT_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      }),
    );
    const agentEnv = options.agentEnv?.(vhosts) ?? {};
    const adapterUrls = adapterPorts.map((port) => `http://127.0.0.1:${port}`).join(',');
    for (const agentId of options.agents) {
      system.add(
        agentId,
        new ManagedProcess(agentId, entry('agent'), {
          ...common,
          AGENT_ID: agentId,
          AGENT_DATA_DIR: path.join(dataDir, `agent-${agentId}`),
          AGENT_ADAPTER_URL: adapterUrls,
          ...(agentEnv[agentId] ?? {}),
        }),
      );
    }
    await dropControlQueues(system.coreAmqpUrl, options.agents);
    const isStandby = (name: string): boolean => /^adapter-\d+$/.test(name);
    const later = new Set(options.startLater ?? []);
    system.agentIds = options.agents;
    system.agentsStartedLater = later;
    const agentIds = new Set(options.agents);
    for (const process of system.processes.values()) {
      const deferred = later.has(process.name) || isStandby(process.name);
      if (!deferred && !agentIds.has(process.name)) process.start();
    }
    try {
      if (!later.has('adapter')) {
        await system.enrolAgents(options.bootTimeoutMs ?? 120_000);
        // Generous: on a loaded 2-core machine the Nest processes alone can take 40 s to boot.
        await system.waitForAgents(options.agents, options.bootTimeoutMs ?? 120_000);
      }
      // Standbys start once the first adapter has migrated the registry and serves.
      for (const process of system.processes.values()) if (isStandby(process.name)) process.start();
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

  /**
   * The real enrolment of every agent: admitted through the API as an admin would
   * (`POST /api/agents`), each started with its one-time token, which it presents to the
   * adapter itself. Agents the test starts later keep their token for `restart`.
   */
  private enrolAgents(timeoutMs = 120_000): Promise<void> {
    this.enrolment ??= (async () => {
      for (const agentId of this.agentIds) {
        const created = await waitUntil(
          `agent ${agentId} admitted`,
          async () => {
            const { status, body } = await this.api<{ enrolmentToken: string }>(
              'POST',
              '/api/agents',
              { agentId },
            );
            return status === 201 ? body : undefined;
          },
          timeoutMs,
        );
        const agent = this.process(agentId);
        agent.setEnv('AGENT_ENROLMENT_TOKEN', created.enrolmentToken);
        if (!this.agentsStartedLater.has(agentId)) agent.start();
      }
    })();
    return this.enrolment;
  }

  /** Calls the proxy as the admin unless `token` says otherwise (null: no Authorization). */
  async api<T = unknown>(
    method: string,
    urlPath: string,
    body?: unknown,
    token: string | null = TEST_ADMIN_TOKEN,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.proxyUrl}${urlPath}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async waitForAgents(agentIds: string[], timeoutMs = 60_000): Promise<void> {
    await this.enrolment;
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
    if (name === 'adapter') void this.enrolAgents().catch(() => undefined);
  }

  /** Sends a signal without waiting for an exit (SIGSTOP/SIGCONT freeze and thaw a process). */
  signal(name: string, signal: NodeJS.Signals): void {
    const pid = this.process(name).pid;
    if (pid !== undefined) process.kill(pid, signal);
  }

  /** A query on this system's registry database (what the adapters share). */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
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
