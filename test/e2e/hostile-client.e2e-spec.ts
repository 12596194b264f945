/**
 * Every bad request of issue 7 defect 11, against `npm start` (embedded defaults), gets a 4xx
 * naming the field in the API's one error shape. The 10,000-request generated version of this
 * is `npm run test:fuzz` (test/fuzz/hostile-client.fuzz-spec.ts).
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { InstallationObject, JobInfo } from '@ruleshift/contracts';
import {
  filterInstallation,
  startEmbeddedHttp,
  type Answer,
  type EmbeddedHttp,
  type Sent,
} from '../support/embedded-http';

const installation = filterInstallation;

const windowInstallation = (window: Record<string, unknown>): InstallationObject => ({
  ...installation('window'),
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'window-aggregation' },
  jobProps: { aggregate: 'count', window, timeFieldJsonPath: '$.ts' },
});

const deeplyNested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

const POST_ROUTES = [
  '/api/install',
  '/api/uninstall',
  '/api/start',
  '/api/stop',
  '/api/move',
  '/api/events/sensors/temperature',
];

describe('hostile client: the bad requests of defect 11 (embedded npm start)', () => {
  let embedded: EmbeddedHttp;
  const send = (sent: Sent): Promise<Answer> => embedded.send(sent);
  const postJson = (path: string, value: unknown, headers: OutgoingHttpHeaders = {}) =>
    embedded.postJson(path, value, headers);
  const install = (suffix: string): Promise<JobInfo> => embedded.install(suffix);

  /** A 4xx in the one error shape, naming `field`. */
  const expectFieldError = (answer: Answer, status: number, field: string): void => {
    expect({ status: answer.status, body: answer.json }).toMatchObject({
      status,
      body: { statusCode: status, code: expect.any(String), message: expect.any(String) },
    });
    const fields = (answer.json as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect(fields).toContain(field);
  };

  beforeAll(async () => {
    embedded = await startEmbeddedHttp();
  }, 60_000);

  afterAll(async () => {
    await embedded?.close();
  });

  it.each(POST_ROUTES)('%s: JSON nested thousands of levels deep', async (path) => {
    const answer = await send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: deeplyNested(5000),
    });
    expectFieldError(answer, 400, 'body');
  });

  it.each(['gzip', 'br', 'deflate'])('content-encoding %s with a plain body', async (coding) => {
    const answer = await postJson('/api/install', installation('enc'), {
      'content-encoding': coding,
    });
    expectFieldError(answer, 400, 'body');
  });

  it('a gzip body that decodes is accepted', async () => {
    const answer = await send({
      method: 'POST',
      path: '/api/install',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(installation('gzip'))),
    });
    expect(answer).toMatchObject({ status: 200, json: { jobStatus: 'INSTALLED' } });
  });

  it('an unknown content-encoding is a 415', async () => {
    const answer = await postJson('/api/start', {}, { 'content-encoding': 'compress' });
    expectFieldError(answer, 415, 'body');
  });

  it.each([
    ['inputExchange', 'a NUL', 'sen\u0000sors'],
    ['inputExchange', 'a lone high surrogate', 'sen\ud800sors'],
    ['inputRoutingKey', 'a NUL', 'temp\u0000'],
    ['outputRoutingKey', 'a lone low surrogate', '\udc00hot'],
    ['inputQueue', 'a NUL', 'in\u0000q'],
    ['inputExchange', '100 KB', 'x'.repeat(100_000)],
    ['inputQueue', '100 KB', 'q'.repeat(100_000)],
    ['inputRoutingKey', '100 KB', 'k'.repeat(100_000)],
    ['outputExchange', '256 bytes of UTF-8 in 128 characters', 'é'.repeat(128)],
    ['outputExchange', 'the reserved amq. prefix', 'amq.custom'],
    ['inputQueue', 'the reserved amq. prefix', 'amq.gen-1'],
  ])('connector %s with %s', async (field, _label, value) => {
    const body = installation('names');
    (body.jobConfig.connectors as unknown as Record<string, unknown>)[field] = value;
    expectFieldError(await postJson('/api/install', body), 400, `jobConfig.connectors.${field}`);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'EDGE', 'Edge'])(
    'endpoint %s',
    async (endpoint) => {
      const body = installation('endpoint');
      body.jobConfig.connectors.inputEndpoint = endpoint;
      expectFieldError(
        await postJson('/api/install', body),
        400,
        'jobConfig.connectors.inputEndpoint',
      );
    },
  );

  it.each([
    [{ kind: 'tumbling', sizeMs: 1e300 }, 'jobProps.window.sizeMs'],
    [{ kind: 'sliding', sizeMs: 1000, slideMs: 1e300 }, 'jobProps.window.slideMs'],
    [{ kind: 'count', size: 1e300 }, 'jobProps.window.size'],
  ])('window %j is refused at install', async (window, field) => {
    expectFieldError(await postJson('/api/install', windowInstallation(window)), 400, field);
  });

  it('unbounded lateness is refused at install', async () => {
    const body = windowInstallation({ kind: 'tumbling', sizeMs: 1000 });
    body.jobProps.allowedLatenessMs = 1e300;
    expectFieldError(await postJson('/api/install', body), 400, 'jobProps.allowedLatenessMs');
  });

  it.each([
    ['jobConfig.connectors.exchangeType'],
    ['jobConfig.connectors.prefetch'],
    ['jobConfig.connectors.secondInput'],
  ])('null for the optional field %s', async (field) => {
    const body = installation('nulls');
    (body.jobConfig.connectors as unknown as Record<string, unknown>)[field.split('.')[2]] = null;
    expectFieldError(await postJson('/api/install', body), 400, field);
  });

  it('null for the optional targetResource of jobInfo and dropState of a move', async () => {
    const jobInfo = await install('null-info');
    expectFieldError(
      await postJson('/api/start', { ...jobInfo, targetResource: null }),
      400,
      'targetResource',
    );
    expectFieldError(
      await postJson('/api/move', {
        target_runtime: 'edge',
        targetResource: 'local',
        jobInfo,
        dropState: null,
      }),
      400,
      'dropState',
    );
  });

  it('an upper-case job id names no job, on every route', async () => {
    const jobInfo = await install('upper');
    const upper = jobInfo.jobId.toUpperCase();
    expectFieldError(await send({ method: 'GET', path: `/api/jobs/${upper}` }), 404, 'jobId');
    expectFieldError(
      await send({ method: 'GET', path: `/api/jobs/${upper}/config` }),
      404,
      'jobId',
    );
    for (const route of ['/api/start', '/api/stop', '/api/uninstall']) {
      expectFieldError(await postJson(route, { ...jobInfo, jobId: upper }), 404, 'jobId');
    }
    expectFieldError(
      await postJson('/api/move', {
        target_runtime: 'edge',
        targetResource: 'local',
        jobInfo: { ...jobInfo, jobId: upper },
      }),
      404,
      'jobInfo.jobId',
    );
  });

  it('a body past the limit is a 413 in the JSON error shape', async () => {
    const body = installation('huge');
    body.jobProps.padding = 'x'.repeat(2 * 1024 * 1024);
    expectFieldError(await postJson('/api/install', body), 413, 'body');
  });

  it.each([
    ['a NUL in the exchange', '/api/events/sen%00sors/temperature', 'exchange'],
    ['invalid UTF-8 in the routing key', '/api/events/sensors/temp%ED%A0%80', 'path'],
    ['a 300-byte exchange', `/api/events/${'x'.repeat(300)}/temperature`, 'exchange'],
    ['a 300-byte routing key', `/api/events/sensors/${'k'.repeat(300)}`, 'routingKey'],
  ])('event publish with %s', async (_label, path, field) => {
    expectFieldError(await postJson(path, { temperature: 1 }), 400, field);
  });
});
