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
  startAgent,
  type AgentHandle,
  type AgentLogger,
  type AgentOptions,
} from '@ruleshift/agent';
import {
  brokerConfigFromEnv,
  createBrokerRegistry,
  InMemoryBrokerHub,
  type BrokerConfig,
  type BrokerRegistry,
} from '@ruleshift/broker';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@ruleshift/contracts';
import { configureProxyApp, ProxyModule } from '@ruleshift/proxy';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from '@ruleshift/templates';
import { DeferredAdapterClient } from './deferred-adapter-client';

export interface StandaloneOptions {
  /** 0 picks a free port (tests). Default 3000. */
  port?: number;
  host?: string;
  /** RULESHIFT_DATA_DIR: PGlite files and agent folders live here. */
  dataDir: string;
  /** PostgreSQL URL; without it the registry is embedded PGlite. */
  databaseUrl?: string;
  /** PGlite in memory instead of `<dataDir>/pglite` (tests). */
  inMemoryDatabase?: boolean;
  /** Base URL agents download artifacts from; default http://127.0.0.1:<port>. */
  publicUrl?: string;
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
  const host = options.host ?? '0.0.0.0';
  const server = await listen(createServer(), options.port ?? 3000, host);
  cleanups.push(() => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  const localUrl = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? localUrl;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;

  // One hub per standalone instance: proxy, adapter and agents share its in-process vhosts.
  const brokerConfig = options.brokerConfig ?? brokerConfigFromEnv(process.env);
  const hub = new InMemoryBrokerHub({ queueLimits: options.inMemoryQueueLimits });
  cleanups.push(() => hub.closeAll());
  const registry = (client: string): BrokerRegistry => {
    const brokers = createBrokerRegistry(client, brokerConfig, { hub });
    cleanups.push(() => brokers.closeAll());
    return brokers;
  };

  // PGlite and the agents create their folders inside it, not the folder itself.
  await mkdir(options.dataDir, { recursive: true });
  const templates = await TemplateCatalog.load(options.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  const adapterClient = new DeferredAdapterClient();
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
        heartbeatIntervalMs,
        flink: options.flink,
        deadLetterMaxLength: options.deadLetterMaxLength,
      }),
      ProxyModule.forRoot({ adapterClient, edgeBroker: await proxyBrokers.get('edge') }),
    ],
  })
  class StandaloneModule {}

  const app = await NestFactory.create(StandaloneModule, {
    logger: options.logger ?? ['log', 'warn', 'error'],
    // Boot errors reach our caller (clean shutdown, one readable line) instead of exiting here.
    abortOnError: false,
  });
  configureProxyApp(app);
  adapterClient.bind(app.get(InProcessAdapterClient));
  await app.init();
  cleanups.push(() => app.close());
  const expressApp = app.getHttpAdapter().getInstance() as RequestListener;
  server.on('request', expressApp);

  const agentBrokers = registry('agents');
  const agents: AgentHandle[] = [];
  cleanups.push(async () => {
    for (const agent of agents.splice(0).reverse()) await agent.stop();
  });
  const startOneAgent = async (
    agentId: string,
    overrides: Partial<AgentOptions> = {},
  ): Promise<AgentHandle> => {
    const agent = await startAgent({
      agentId,
      brokers: agentBrokers,
      brokerConfig,
      dataDir:
        agentId === (options.agentId ?? 'local') && options.agentDataDir
          ? options.agentDataDir
          : join(options.dataDir, `agent-${agentId}`),
      heartbeatIntervalMs,
      logger: options.agentLogger,
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
