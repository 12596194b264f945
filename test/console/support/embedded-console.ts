/**
 * `npm start` as the console meets it: embedded defaults (in-process brokers, in-memory PGlite),
 * the built console at `/`, the in-process agent `local` and a second agent `gw2` (what
 * `EXTRA_AGENT_IDS=gw2 npm start` starts).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeInfo } from '@ruleshift/contracts';
import { bootstrapStandalone } from '../../../apps/standalone/src';

export const CONSOLE_ADMIN_TOKEN = 'console-e2e-admin-token-0123456789abcdef';
const CONSOLE_INDEX = join(__dirname, '..', '..', '..', 'dist', 'console', 'index.html');

export interface EmbeddedConsole {
  url: string;
  /** An authenticated API call (admin). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export async function startEmbeddedConsole(extraAgentIds: string[]): Promise<EmbeddedConsole> {
  if (!existsSync(CONSOLE_INDEX)) {
    throw new Error(`${CONSOLE_INDEX} is missing: run npm run build (npm run test:console does)`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-console-'));
  const standalone = await bootstrapStandalone({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    inMemoryDatabase: true,
    heartbeatIntervalMs: 500,
    brokerConfig: { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
    logger: false,
    auth: {
      adminToken: CONSOLE_ADMIN_TOKEN,
      apiKeyCacheTtlMs: 10_000,
      failedAuth: { maxFailures: 1000, windowSeconds: 60, blockSeconds: 1 },
    },
  });
  for (const agentId of extraAgentIds) await standalone.startAgent(agentId);

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${standalone.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${CONSOLE_ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };

  // Every agent has sent its first heartbeat: the console lists them all from the start.
  const agents = ['local', ...extraAgentIds];
  for (;;) {
    const runtimes = (await api('GET', '/api/runtimes')).json as RuntimeInfo[];
    const up = runtimes.filter((r) => r.health === 'UP').map((r) => r.targetResource);
    if (agents.every((agent) => up.includes(agent))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url: standalone.url,
    api,
    close: async () => {
      await standalone.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
