/**
 * `npm run test:fuzz`: a hostile client sends 10,000 generated malformed requests to `npm start`
 * (embedded defaults): deep nesting, huge bodies, wrong types, control characters, prototype
 * keys, wrong content encodings and types, wrong-order operations and concurrent bursts on one
 * job, half of them as the admin and the rest without a token, with a bad one or as a viewer.
 * None may answer 5xx or an error outside the API's JSON shape, and afterwards the process
 * is healthy: /api/health answers and a normal install/start/stop/uninstall works. The seed is
 * fixed and printed on failure; FUZZ_SEED replays another, FUZZ_REQUESTS changes the count.
 */
import fc from 'fast-check';
import type { JobInfo } from '@ruleshift/contracts';
import {
  EMBEDDED_ADMIN_TOKEN,
  filterInstallation,
  isShapedAnswer,
  startEmbeddedHttp,
  type Answer,
  type EmbeddedHttp,
  type Sent,
} from '../support/embedded-http';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const BURST = 20;
const FUZZ_REQUESTS = Math.max(BURST, Number(process.env.FUZZ_REQUESTS ?? 10_000));

/** Rule operations, and an ingest route whose key nothing is bound to (nothing piles up). */
const POST_ROUTES = [
  '/api/install',
  '/api/uninstall',
  '/api/start',
  '/api/stop',
  '/api/move',
  '/api/events/sensors/fuzz-unbound',
];

const deeplyNested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

/**
 * Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD's bytes), cut to 1 KB: a
 * URL past Node's 16 KB header limit gets Node's own bare 431 before any route runs.
 */
const segment = (value: string): string =>
  [...Buffer.from(value.slice(0, 1024) || 'x', 'utf8')]
    .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
    .join('');

const relocation = (info: unknown) => ({
  target_runtime: 'edge',
  targetResource: 'local',
  jobInfo: info,
});

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '\u0000',
    '\ud800',
    '\udfff',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'EDGE',
    'amq.topic',
    'amq.x',
    '../../etc/passwd',
    '%00',
    'x'.repeat(300),
    'y'.repeat(70_000),
  ),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1e300, -0, 3.5, [], {}, [null]),
  fc.double(),
  fc.integer(),
  fc.dictionary(hostileString, fc.constant(1), { maxKeys: 3 }),
);

/** A valid body with one field replaced, deleted or added somewhere in it. */
const mutated = (base: unknown): fc.Arbitrary<unknown> =>
  fc
    .tuple(fc.nat(), hostileString, hostileValue, fc.constantFrom('set', 'delete', 'add'))
    .map(([pick, key, value, how]) => {
      const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      const objects: Array<Record<string, unknown>> = [];
      const walk = (node: unknown): void => {
        if (node && typeof node === 'object') {
          objects.push(node as Record<string, unknown>);
          for (const child of Object.values(node)) walk(child);
        }
      };
      walk(copy);
      const target = objects[pick % objects.length];
      const keys = Object.keys(target);
      if (how === 'add' || keys.length === 0) {
        // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it.
        Object.defineProperty(target, key, { value, enumerable: true, writable: true });
      } else if (how === 'delete') {
        delete target[keys[pick % keys.length]];
      } else {
        target[keys[pick % keys.length]] = value;
      }
      return copy;
    });

const jsonText = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  value.map((v) => JSON.stringify(v) ?? 'null');

const prototypeKeys = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .map(
    (key) =>
      `{"${key}":{"polluted":true},"headers":{"${key}":{"runtime":"edge"}},"jobConfig":{"connectors":{"${key}":1}}}`,
  );

function hostileRequests(victim: JobInfo, viewerToken: string): fc.Arbitrary<Sent[]> {
  const body = fc.oneof(
    { weight: 4, arbitrary: jsonText(mutated(filterInstallation('fuzz'))) },
    { weight: 3, arbitrary: jsonText(mutated(victim)) },
    { weight: 2, arbitrary: jsonText(mutated(relocation(victim))) },
    { weight: 1, arbitrary: jsonText(hostileValue) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map(deeplyNested) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => '{"a":'.repeat(n)) },
    { weight: 1, arbitrary: prototypeKeys },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `{"padding":"${'p'.repeat(1024 * 1024 + 10)}"}`,
        `[${'1,'.repeat(200_000)}1]`,
        '{"a":1',
        '\ufeff{}',
        '',
      ),
    },
  );
  const path = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...POST_ROUTES) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(hostileString, hostileString)
        .map(([exchange, key]) => `/api/events/${segment(exchange)}/${segment(key)}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/api/events/%E0%A4%A/x',
        '/api/events/a%00b/k',
        `/api/jobs/${victim.jobId.toUpperCase()}`,
        `/api/jobs/${victim.jobId}/config`,
        '/api/jobs/%FF',
        '/api/jobs/__proto__',
        '/api/jobs/constructor/config',
      ),
    },
  );
  /**
   * Half the requests as the admin, the rest without a token, with a bad or malformed one, or
   * as a viewer whose role is too low for every mutation: 401/403 are answers too, never 5xx.
   */
  const authorization = fc.oneof(
    { weight: 5, arbitrary: fc.constant(`Bearer ${EMBEDDED_ADMIN_TOKEN}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${viewerToken}`) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom(
          'Bearer rs_not-a-key',
          'Bearer ',
          'Basic YWRtaW46YWRtaW4=',
          'bearer',
          `Bearer ${EMBEDDED_ADMIN_TOKEN}x`,
          'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
          `Bearer ${'a'.repeat(8000)}`,
        ),
        fc.string({ maxLength: 60 }).map((t) => `Bearer ${t.replace(/[^\x21-\x7e]/g, '')}`),
      ),
    },
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    '',
    'application/json, text/plain',
  );
  const contentEncoding = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'deflate', 'compress', 'x', 'GZIP') },
  );
  const request: fc.Arbitrary<Sent> = fc
    .record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
      path,
      contentType,
      contentEncoding,
      body,
      authorization,
    })
    .map((r) => ({
      method: r.method,
      path: r.path,
      headers: {
        ...(r.contentType ? { 'content-type': r.contentType } : {}),
        ...(r.contentEncoding ? { 'content-encoding': r.contentEncoding } : {}),
        authorization: r.authorization,
      },
      body: r.method === 'GET' ? undefined : r.body,
    }));
  /** Operations on one job in any order and any claimed status, all at once. */
  const onVictim: fc.Arbitrary<Sent> = fc
    .tuple(
      fc.constantFrom('/api/start', '/api/stop', '/api/uninstall', '/api/move'),
      fc.constantFrom('INSTALLED', 'RUNNING', 'STOPPED', 'UNINSTALLED', 'FAILED'),
      authorization,
    )
    .map(([route, jobStatus, token]) => {
      const info = { ...victim, jobStatus };
      return {
        method: 'POST',
        path: route,
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify(route === '/api/move' ? relocation(info) : info),
      };
    });
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(request, { minLength: BURST, maxLength: BURST }) },
    { weight: 1, arbitrary: fc.array(onVictim, { minLength: BURST, maxLength: BURST }) },
  );
}

const describeRequest = (sent: Sent, answer: Answer): string =>
  `${answer.status} for ${sent.method} ${sent.path.slice(0, 200)} ${JSON.stringify(sent.headers)} ` +
  `${String(sent.body).slice(0, 200)} -> ${answer.text.slice(0, 300)}`;

describe('hostile client (embedded npm start)', () => {
  let embedded: EmbeddedHttp;

  beforeAll(async () => {
    embedded = await startEmbeddedHttp();
  }, 60_000);

  afterAll(async () => {
    await embedded?.close();
  });

  it(`answers ${FUZZ_REQUESTS} malformed requests without a 5xx and stays healthy`, async () => {
    const victim = await embedded.install('victim');
    const key = await embedded.postJson('/api/tokens', { name: 'fuzz-viewer', role: 'viewer' });
    expect(key.status).toBe(201);
    const viewer = (key.json as { token: string }).token;
    const statuses = new Map<number, number>();
    let sent = 0;
    const failures: string[] = [];
    const started = Date.now();
    await fc
      .assert(
        fc.asyncProperty(hostileRequests(victim, viewer), async (requests) => {
          const answers = await Promise.all(
            requests.map((request) =>
              embedded.send(request).catch((error: unknown): Answer => ({
                status: 0,
                headers: {},
                text: String(error),
                json: undefined,
              })),
            ),
          );
          sent += requests.length;
          answers.forEach((answer, i) => {
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status >= 500 || !isShapedAnswer(answer)) {
              failures.push(describeRequest(requests[i], answer));
            }
          });
          return failures.length === 0;
        }),
        { seed: SEED, numRuns: Math.floor(FUZZ_REQUESTS / BURST), endOnFailure: true },
      )
      .catch((error: unknown) => {
        throw new Error(
          `hostile client failed (replay with FUZZ_SEED=${SEED}):\n${failures.slice(0, 5).join('\n')}\n${String(error)}`,
        );
      });
    expect(sent).toBe(Math.floor(FUZZ_REQUESTS / BURST) * BURST);
    // The token paths were exercised: refused without or with a bad token, and for a low role.
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b);
    process.stdout.write(
      `hostile client: ${sent} requests (seed ${SEED}) in ${Date.now() - started} ms, no 5xx; ` +
        `by status ${byStatus.map(([status, n]) => `${status}:${n}`).join(' ')}\n`,
    );

    // Still healthy: health answers and a normal life cycle works.
    expect((await embedded.send({ method: 'GET', path: '/api/health' })).status).toBe(200);
    const jobInfo = await embedded.install('after');
    const running = await embedded.postJson('/api/start', jobInfo);
    expect(running).toMatchObject({ status: 200, json: { jobStatus: 'RUNNING' } });
    const stopped = await embedded.postJson('/api/stop', running.json);
    expect(stopped).toMatchObject({ status: 200, json: { jobStatus: 'STOPPED' } });
    const uninstalled = await embedded.postJson('/api/uninstall', stopped.json);
    expect(uninstalled).toMatchObject({ status: 200, json: { jobStatus: 'UNINSTALLED' } });
  });
});
