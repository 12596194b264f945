/**
 * `npm start` (embedded defaults: in-process brokers, in-memory PGlite) for the embedded tests:
 * the one way they boot it (`startEmbeddedStandalone`), and raw HTTP to it for tests that need
 * any method, path, header and body bytes, one new connection per request (a keep-alive socket
 * the server closes after an error would fail the next request on it).
 */
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallationObject, JobInfo, RuntimeInfo } from '@ruleshift/contracts';
import {
  bootstrapStandalone,
  type StandaloneHandle,
  type StandaloneOptions,
} from '../../apps/standalone/src';
import type { SystemTarget } from './system-target';

export interface Sent {
  method: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface EmbeddedHttp {
  /** Where `npm start`'s API listens, e.g. http://127.0.0.1:40123. */
  url: string;
  send(sent: Sent): Promise<Answer>;
  postJson(path: string, value: unknown, headers?: OutgoingHttpHeaders): Promise<Answer>;
  /** Installs the filter rule on the in-process agent; its input queue is `hostile-in-<suffix>`. */
  install(suffix: string): Promise<JobInfo>;
  close(): Promise<void>;
}

export const filterInstallation = (suffix: string): InstallationObject => ({
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
  jobConfig: {
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: `hostile-in-${suffix}`,
      inputRoutingKey: 'temperature',
      outputEndpoint: 'edge',
      outputExchange: 'alerts',
      outputRoutingKey: 'hot',
    },
  },
  jobProps: { condition: '>', threshold: 20, fieldName: 'temperature' },
});

/** Whether an answer is a success, or an error in the API's one JSON shape with its status. */
export function isShapedAnswer(answer: Answer): boolean {
  if (answer.status > 0 && answer.status < 400) return true;
  const error = answer.json as Record<string, unknown> | undefined;
  return (
    error?.statusCode === answer.status &&
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    Array.isArray(error.errors)
  );
}

/**
 * Every request is sent as this admin unless it names its own authorization header
 * (`authorization: undefined` sends none).
 */
export const EMBEDDED_ADMIN_TOKEN = 'embedded-http-admin-token-0123456789abcdef';

export interface EmbeddedStandalone {
  standalone: StandaloneHandle;
  close(): Promise<void>;
}

export interface EmbeddedStandaloneOptions {
  /** The bootstrap admin token (default EMBEDDED_ADMIN_TOKEN). */
  adminToken?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Failed authentications allowed per minute before 429 (default 100). */
  maxAuthFailures?: number;
  /** More in-process agents beside `local` (`EXTRA_AGENT_IDS` of npm start). */
  extraAgentIds?: string[];
}

/**
 * The options every embedded test boots with: in-process brokers, in-memory PGlite, quick
 * heartbeats, Nest silent.
 */
export function embeddedStandaloneOptions(
  dataDir: string,
  options: EmbeddedStandaloneOptions = {},
): StandaloneOptions {
  return {
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    inMemoryDatabase: true,
    heartbeatIntervalMs: 200,
    brokerConfig: { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
    logger: false,
    auth: {
      adminToken: options.adminToken ?? EMBEDDED_ADMIN_TOKEN,
      apiKeyCacheTtlMs: 10_000,
      failedAuth: {
        maxFailures: options.maxAuthFailures ?? 100,
        windowSeconds: 60,
        blockSeconds: 60,
      },
    },
  };
}

/** A fresh data dir, bootstrapStandalone on it, then waits until every agent is UP. */
export async function startEmbeddedStandalone(
  options: EmbeddedStandaloneOptions = {},
): Promise<EmbeddedStandalone> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-embedded-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  let standalone: StandaloneHandle;
  try {
    standalone = await bootstrapStandalone(embeddedStandaloneOptions(dataDir, options));
  } catch (error) {
    await removeDataDir();
    throw error;
  }
  const agents = ['local', ...(options.extraAgentIds ?? [])];
  const embedded = {
    standalone,
    close: async () => {
      await standalone.close();
      await removeDataDir();
    },
  };
  try {
    for (const agentId of agents.slice(1)) await standalone.startAgent(agentId);
    for (const agentId of agents) {
      await waitForRuntimeUp(standalone.url, options.adminToken ?? EMBEDDED_ADMIN_TOKEN, agentId);
    }
  } catch (error) {
    await embedded.close();
    throw error;
  }
  return embedded;
}

/** The embedded system as a target of the shared CLI and console scenarios. */
export async function embeddedTarget(extraAgentIds: string[]): Promise<SystemTarget> {
  const embedded = await startEmbeddedStandalone({ extraAgentIds, maxAuthFailures: 1000 });
  return {
    url: embedded.standalone.url,
    adminToken: EMBEDDED_ADMIN_TOKEN,
    logs: () => '',
    close: () => embedded.close(),
  };
}

/** Polls GET /api/runtimes until `targetResource` is UP (its first heartbeat arrived). */
export async function waitForRuntimeUp(
  url: string,
  token: string,
  targetResource: string,
): Promise<void> {
  const port = Number(new URL(url).port);
  for (;;) {
    const answer = await sendHttp(port, {
      method: 'GET',
      path: '/api/runtimes',
      headers: { authorization: `Bearer ${token}` },
    });
    if (answer.status !== 200) throw new Error(`GET /api/runtimes: ${answer.text}`);
    const runtimes = answer.json as RuntimeInfo[];
    if (runtimes.some((r) => r.targetResource === targetResource && r.health === 'UP')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One request on a new connection to 127.0.0.1:`port`, the body read to its end. */
export function sendHttp(port: number, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = typeof sent.body === 'string' ? Buffer.from(sent.body) : sent.body;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent: false,
        method: sent.method,
        path: sent.path,
        headers: withoutUnset({
          ...(body ? { 'content-length': body.length } : {}),
          ...sent.headers,
        }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `extraAgentIds`: more in-process agents beside `local` (`EXTRA_AGENT_IDS` of npm start). */
export async function startEmbeddedHttp(
  options: { extraAgentIds?: string[] } = {},
): Promise<EmbeddedHttp> {
  const embedded = await startEmbeddedStandalone({
    maxAuthFailures: 1_000_000,
    extraAgentIds: options.extraAgentIds,
  });
  const port = Number(new URL(embedded.standalone.url).port);

  const send = (sent: Sent): Promise<Answer> =>
    sendHttp(port, {
      ...sent,
      headers: { authorization: `Bearer ${EMBEDDED_ADMIN_TOKEN}`, ...sent.headers },
    });

  const postJson = (path: string, value: unknown, headers: OutgoingHttpHeaders = {}) =>
    send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(value),
    });

  return {
    url: embedded.standalone.url,
    send,
    postJson,
    install: async (suffix) => {
      const answer = await postJson('/api/install', filterInstallation(suffix));
      if (answer.status !== 200) throw new Error(`install failed: ${answer.text}`);
      return answer.json as JobInfo;
    },
    close: () => embedded.close(),
  };
}

/** Headers set to undefined are not sent (Node refuses an undefined header value). */
function withoutUnset(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}
