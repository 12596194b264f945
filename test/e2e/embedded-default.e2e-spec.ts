/**
 * `npm start` as a newcomer meets it (embedded defaults): a request that arrives while the
 * process is still starting gets an answer (503, Retry-After, the API's error shape), and every
 * JSON answer, of the proxy's routes and of the adapter's (artifacts, enrolment) alike, errors
 * included, ends with a newline.
 */
import { createServer, connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapStandalone, type StandaloneHandle } from '../../apps/standalone/src';
import {
  EMBEDDED_ADMIN_TOKEN,
  embeddedStandaloneOptions,
  filterInstallation,
  sendHttp,
  waitForRuntimeUp,
  type Answer,
  type Sent,
} from '../support/embedded-http';

const bearer = { authorization: `Bearer ${EMBEDDED_ADMIN_TOKEN}` };

/** A port nothing listens on now (the kernel's pick), so the test knows it before the boot. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once a TCP connection to the port is accepted (the server is listening). */
async function accepting(port: number): Promise<void> {
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('npm start as a newcomer meets it (embedded defaults)', () => {
  let dataDir: string;
  let port: number;
  let standalone: StandaloneHandle | undefined;
  let whileStarting: Answer[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-newcomer-'));
    port = await freePort();
    const booting = bootstrapStandalone(embeddedStandaloneOptions(dataDir, { port }));
    // The server listens first, then PGlite, migrations and Nest take seconds: ask in between.
    await accepting(port);
    whileStarting = await Promise.all([
      sendHttp(port, { method: 'GET', path: '/api/health' }),
      sendHttp(port, {
        method: 'POST',
        path: '/api/install',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify(filterInstallation('while-starting')),
      }),
    ]);
    standalone = await booting;
    await waitForRuntimeUp(standalone.url, EMBEDDED_ADMIN_TOKEN, 'local');
  }, 120_000);

  afterAll(async () => {
    await standalone?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a request that arrives while starting with 503 and Retry-After, in the error shape', () => {
    for (const answer of whileStarting) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('2');
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json).toEqual({
        statusCode: 503,
        code: 'RUNTIME_UNAVAILABLE',
        message: 'ruleshift is starting: retry in 2 s',
        errors: [],
      });
      expect(answer.text.endsWith('}\n')).toBe(true);
    }
  });

  it('answers the same requests once started (nothing was installed while starting)', async () => {
    const health = await sendHttp(port, { method: 'GET', path: '/api/health' });
    expect(health.status).toBe(200);
    const jobs = await sendHttp(port, { method: 'GET', path: '/api/jobs', headers: bearer });
    expect(jobs.json).toEqual([]);
  });

  it('says that the in-process agent reports the load of the process it shares', async () => {
    const runtimes = await sendHttp(port, {
      method: 'GET',
      path: '/api/runtimes',
      headers: bearer,
    });
    const local = (runtimes.json as Array<{ targetResource: string; details: object }>).find(
      (r) => r.targetResource === 'local',
    );
    expect(local?.details).toMatchObject({ sharesProcess: true, rssBytes: expect.any(Number) });
  });

  const JSON_ANSWERS: Array<[string, Sent, number]> = [
    ['liveness', { method: 'GET', path: '/api/health' }, 200],
    ['a list', { method: 'GET', path: '/api/runtimes', headers: bearer }, 200],
    ['an empty list', { method: 'GET', path: '/api/jobs', headers: bearer }, 200],
    ['the OpenAPI document', { method: 'GET', path: '/api/docs-json' }, 200],
    ['no token', { method: 'GET', path: '/api/jobs' }, 401],
    [
      'an invalid body',
      {
        method: 'POST',
        path: '/api/install',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: '{"headers":{}}',
      },
      400,
    ],
    [
      'malformed JSON',
      {
        method: 'POST',
        path: '/api/install',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: '{"headers":',
      },
      400,
    ],
    [
      'an unknown job',
      {
        method: 'GET',
        path: '/api/jobs/00000000-0000-4000-8000-000000000000',
        headers: bearer,
      },
      404,
    ],
    ['an unknown route', { method: 'GET', path: '/api/no-such-route', headers: bearer }, 404],
    ['an unknown artifact (adapter)', { method: 'GET', path: '/artifacts/filter/9/edge' }, 404],
    [
      'a malformed enrolment (adapter)',
      {
        method: 'POST',
        path: '/agents/enrol',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentId: 'gw-x', enrolmentToken: 'rse_nope', publicKey: 'x' }),
      },
      400,
    ],
  ];

  it.each(JSON_ANSWERS)(
    'ends the JSON answer to %s with a newline',
    async (_what, sent, status) => {
      const answer = await sendHttp(port, sent);
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json).toBeDefined();
      expect(answer.text).toBe(`${JSON.stringify(answer.json)}\n`);
    },
  );
});
