import 'reflect-metadata';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Module, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AdapterModule,
  InProcessAdapterClient,
  type FlinkRuntimeOptions,
} from '@ruleshift/adapter';
import {
  hasStoredIdentity,
  startAgent,
  type AgentHandle,
  type AgentLogger,
  type AgentOptions,
} from '@ruleshift/agent';
import {
  brokerConfigFromEnv,
  createBrokerRegistry,
  FileBrokerStateStore,
  InMemoryBrokerHub,
  type BrokerConfig,
  type BrokerRegistry,
} from '@ruleshift/broker';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, type AdapterClient } from '@ruleshift/contracts';
import { loadAdapterSigningKey } from '@ruleshift/adapter';
import { configureProxyApp, ProxyModule, type AuthOptions } from '@ruleshift/proxy';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from '@ruleshift/templates';
import { answerWhileStarting } from './answer-while-starting';
import { QuietBootLogger } from './quiet-boot-logger';
import { DeferredAdapterClient } from './deferred-adapter-client';

export interface StandaloneOptions {
  /** 0 picks a free port (tests). Default 3000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Who may call the API; `adminToken` is the resolved first admin token. */
  auth: AuthOptions;
  /** RULESHIFT_DATA_DIR: PGlite files and agent folders live here. */
  dataDir: string;
  /** PostgreSQL URL; without it the registry is embedded PGlite. */
  databaseUrl?: string;
  /** PGlite in memory instead of `<dataDir>/pglite` (tests). */
  inMemoryDatabase?: boolean;
  /** Base URL agents download artifacts from; default http://127.0.0.1:<port>. */
  publicUrl?: string;
  /** ADAPTER_SIGNING_KEY_FILE; default `<dataDir>/adapter-signing-key.pem`, generated once. */
  adapterSigningKeyFile?: string;
  agentId?: string;
  agentDataDir?: string;
  heartbeatIntervalMs?: number;
  templatesDir?: string;
  /** Default: brokerConfigFromEnv(process.env): in-process brokers unless URLs are set. */
  brokerConfig?: BrokerConfig;
  /** Nest log levels; false silences Nest. */
  logger?: false | LogLevel[];
  agentLogger?: AgentLogger;
  /** Enables the flink runtime (flinkRuntimeOptionsFromEnv: set when FLINK_REST_URL is). */
  flink?: FlinkRuntimeOptions;
  /** DEAD_LETTER_MAX_LENGTH: bound of new rules' dead-letter queues. */
  deadLetterMaxLength?: number;
  /** Bounds of in-process queues that declare none (default DEFAULT_QUEUE_LIMITS). */
  inMemoryQueueLimits?: { maxLength?: number; maxLengthBytes?: number };
  /** PLACEMENT_INTERVAL_MS: the placement service's period (default 5 s). */
  placementIntervalMs?: number;
}

export interface StandaloneHandle {
  app: INestApplication;
  /** Where the HTTP API listens, e.g. http://127.0.0.1:3000. */
  url: string;
  /** The in-process agent (`local` unless configured). */
  agent: AgentHandle;
  /** A registry on this process's brokers (the same in-process vhosts as proxy/adapter/agents). */
  brokers: BrokerRegistry;
  /** Starts one more agent in this process, on the same brokers and artifact server (tests). */
  startAgent(agentId: string, overrides?: Partial<AgentOptions>): Promise<AgentHandle>;
  close(): Promise<void>;
}

/**
 * `npm start`: proxy + adapter + one agent in one process, on one HTTP server. The server is
 * bound before the app is assembled, so with port 0 the adapter already knows the artifact URL
 * agents must download from.
 */
export async function bootstrapStandalone(options: StandaloneOptions): Promise<StandaloneHandle> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => console.error('standalone shutdown:', error));
    }
  };
  try {
    return await assemble(options, cleanups, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function assemble(
  options: StandaloneOptions,
  cleanups: Array<() => Promise<void>>,
  close: () => Promise<void>,
): Promise<StandaloneHandle> {
  const host = options.host ?? '127.0.0.1';
  const server = await listen(createServer(answerWhileStarting), options.port ?? 3000, host);
  cleanups.push(() => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  const localUrl = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? localUrl;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;

  // One hub per standalone instance: proxy, adapter and agents share its in-process vhosts.
  const brokerConfig = options.brokerConfig ?? brokerConfigFromEnv(process.env);
  // Its durable queues and their messages are kept across a clean stop, beside the registry
  // (none with an in-memory registry: a fresh registry has no rules to want them).
  const hub = new InMemoryBrokerHub({
    queueLimits: options.inMemoryQueueLimits,
    stateStore: options.inMemoryDatabase
      ? undefined
      : new FileBrokerStateStore(join(options.dataDir, 'broker')),
  });
  // PGlite, the agents and the broker state create their folders inside it, not the folder itself.
  await mkdir(options.dataDir, { recursive: true });
  await hub.restore();
  cleanups.push(() => hub.closeAll());
  const registry = (client: string): BrokerRegistry => {
    const brokers = createBrokerRegistry(client, brokerConfig, { hub });
    cleanups.push(() => brokers.closeAll());
    return brokers;
  };

  const templates = await TemplateCatalog.load(options.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  const adapterClient = new DeferredAdapterClient();
  const signingKey = await loadAdapterSigningKey({
    file: options.adapterSigningKeyFile,
    dataDir: options.dataDir,
    log: (message) => console.log(message),
  });
  const proxyBrokers = registry('proxy');

  @Module({
    imports: [
      AdapterModule.forRoot({
        database: {
          url: options.databaseUrl,
          dataDir: options.dataDir,
          inMemory: options.inMemoryDatabase,
        },
        brokers: registry('adapter'),
        templates,
        publicUrl,
        signingKey,
        heartbeatIntervalMs,
        flink: options.flink,
        deadLetterMaxLength: options.deadLetterMaxLength,
        placementIntervalMs: options.placementIntervalMs,
      }),
      ProxyModule.forRoot({
        adapterClient,
        edgeBroker: await proxyBrokers.get('edge'),
        auth: options.auth,
      }),
    ],
  })
  class StandaloneModule {}

  const app = await NestFactory.create(StandaloneModule, {
    logger:
      options.logger === false
        ? false
        : new QuietBootLogger(options.logger ?? ['log', 'warn', 'error']),
    // Boot errors reach our caller (clean shutdown, one readable line) instead of exiting here.
    abortOnError: false,
  });
  configureProxyApp(app);
  adapterClient.bind(app.get(InProcessAdapterClient));
  await app.init();
  cleanups.push(() => app.close());
  const expressApp = app.getHttpAdapter().getInstance() as RequestListener;
  // One synchronous swap: every request from here on reaches the API.
  server.off('request', answerWhileStarting);
  server.on('request', expressApp);

  const agentBrokers = registry('agents');
  const agents: AgentHandle[] = [];
  cleanups.push(async () => {
    for (const agent of agents.splice(0).reverse()) await agent.stop();
  });
  const inProcess = app.get(InProcessAdapterClient);
  const startOneAgent = async (
    agentId: string,
    overrides: Partial<AgentOptions> = {},
  ): Promise<AgentHandle> => {
    const dataDir =
      agentId === (options.agentId ?? 'local') && options.agentDataDir
        ? options.agentDataDir
        : join(options.dataDir, `agent-${agentId}`);
    const agent = await startAgent({
      agentId,
      brokers: agentBrokers,
      brokerConfig,
      dataDir,
      // The real flow, over this process's own HTTP server: admitted here, enrolled there.
      adapterUrl: localUrl,
      enrolmentToken: await enrolmentTokenFor(inProcess, agentId, dataDir),
      heartbeatIntervalMs,
      logger: options.agentLogger,
      // One process for proxy, adapter and every agent: their load figures are all its own.
      sharesProcess: true,
      // After a crash the in-process broker starts empty; with the adapter in this process no
      // rule can have been uninstalled behind the agent's back, so re-declaring is safe.
      redeclareTopologyBeforeRun: true,
      ...overrides,
    });
    agents.push(agent);
    return agent;
  };
  const agent = await startOneAgent(options.agentId ?? 'local');

  return {
    app,
    url: localUrl,
    agent,
    brokers: registry('standalone'),
    startAgent: startOneAgent,
    close,
  };
}

/**
 * The token an in-process agent needs, if any: none when it is enrolled and still has its
 * identity on disk, or when an admin revoked it (a restart must not undo a revocation).
 * Otherwise it is admitted as an admin would (`POST /api/agents`); one enrolled whose identity
 * was deleted is revoked first, so its lost key is refused for good.
 */
async function enrolmentTokenFor(
  adapter: AdapterClient,
  agentId: string,
  dataDir: string,
): Promise<string | undefined> {
  const known = (await adapter.send('agents.list', {})).find((a) => a.agentId === agentId);
  if (known?.status === 'REVOKED') {
    console.warn(`agent ${agentId} is revoked: started as it is, it will be refused`);
    return undefined;
  }
  if (known?.status === 'ENROLLED') {
    if (await hasStoredIdentity(dataDir, agentId)) return undefined;
    console.warn(`agent ${agentId} lost its identity in ${dataDir}: revoked and enrolled again`);
    await adapter.send('agents.revoke', { agentId });
  }
  const created = await adapter.send('agents.create', { agentId, createdBy: 'standalone' });
  return created.enrolmentToken;
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  // SSE clients keep connections open; drop them so close() does not wait forever.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
