/**
 * `npm start` (embedded defaults: in-process brokers, in-memory PGlite) for tests that talk raw
 * HTTP to it: any method, path, header and body bytes, one new connection per request (a
 * keep-alive socket the server closes after an error would fail the next request on it).
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallationObject, JobInfo, RuntimeInfo } from '@ruleshift/contracts';
import { bootstrapStandalone, type StandaloneHandle } from '../../apps/standalone/src';

export interface Sent {
  method: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

export interface EmbeddedHttp {
  /** The base URL, e.g. `http://127.0.0.1:40123`. */
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

/** `extraAgentIds`: more in-process agents beside `local` (`EXTRA_AGENT_IDS` of npm start). */
export async function startEmbeddedHttp(
  options: { extraAgentIds?: string[] } = {},
): Promise<EmbeddedHttp> {
  const extraAgentIds = options.extraAgentIds ?? [];
  const dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-hostile-'));
  let standalone: StandaloneHandle;
  try {
    standalone = await bootstrapStandalone({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      inMemoryDatabase: true,
      heartbeatIntervalMs: 200,
      brokerConfig: { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
      logger: false,
      auth: {
        adminToken: EMBEDDED_ADMIN_TOKEN,
        apiKeyCacheTtlMs: 10_000,
        failedAuth: { maxFailures: 1_000_000, windowSeconds: 60, blockSeconds: 1 },
      },
    });
    for (const agentId of extraAgentIds) await standalone.startAgent(agentId);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const port = Number(new URL(standalone.url).port);

  const send = (sent: Sent): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = typeof sent.body === 'string' ? Buffer.from(sent.body) : sent.body;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          agent: false,
          method: sent.method,
          path: sent.path,
          headers: withoutUnset({
            authorization: `Bearer ${EMBEDDED_ADMIN_TOKEN}`,
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
            resolve({ status: res.statusCode ?? 0, text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const postJson = (path: string, value: unknown, headers: OutgoingHttpHeaders = {}) =>
    send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(value),
    });

  // Every agent has sent its first heartbeat.
  const agents = ['local', ...extraAgentIds];
  for (;;) {
    const runtimes = (await send({ method: 'GET', path: '/api/runtimes' })).json as RuntimeInfo[];
    const up = runtimes.filter((r) => r.health === 'UP').map((r) => r.targetResource);
    if (agents.every((agent) => up.includes(agent))) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url: standalone.url,
    send,
    postJson,
    install: async (suffix) => {
      const answer = await postJson('/api/install', filterInstallation(suffix));
      if (answer.status !== 200) throw new Error(`install failed: ${answer.text}`);
      return answer.json as JobInfo;
    },
    close: async () => {
      await standalone.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headers set to undefined are not sent (Node refuses an undefined header value). */
function withoutUnset(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}
