import request from 'supertest';
import {
  Conflict,
  NotFound,
  RuntimeUnavailable,
  ValidationFailed,
  type InstallationObject,
  type JobDetails,
} from '@ruleshift/contracts';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';
import { jobInfo, paperInstallation } from '../testing/paper-objects';

describe('rules API (HTTP)', () => {
  let t: ProxyTestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    t = await createProxyTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('install passes the paper installation object verbatim and answers 200 with jobInfo', async () => {
    t.adapter.on('rules.install', () => jobInfo());
    const body = paperInstallation();
    const res = await http().post('/api/install').send(body).expect(200);
    expect(res.body).toEqual(jobInfo());
    expect(t.adapter.calls).toEqual([{ pattern: 'rules.install', request: body }]);
  });

  it('install keeps additive fields it does not know', async () => {
    t.adapter.on('rules.install', () => jobInfo());
    const body = paperInstallation() as InstallationObject & { owner: string };
    body.owner = 'ops';
    body.jobConfig.connectors.prefetch = 32;
    await http().post('/api/install').send(body).expect(200);
    expect(t.adapter.calls[0].request).toEqual(body);
  });

  it.each([
    ['uninstall', 'rules.uninstall', 'UNINSTALLED'],
    ['start', 'rules.start', 'RUNNING'],
    ['stop', 'rules.stop', 'STOPPED'],
  ] as const)('%s takes jobInfo and answers 200 with jobInfo', async (route, pattern, status) => {
    t.adapter.on(pattern, (info) => ({ ...info, jobStatus: status }));
    const res = await http().post(`/api/${route}`).send(jobInfo()).expect(200);
    expect(res.body).toEqual(jobInfo({ jobStatus: status }));
    expect(t.adapter.calls).toEqual([{ pattern, request: jobInfo() }]);
  });

  it('uninstall passes keepInputQueue on and names it when it is not a boolean', async () => {
    t.adapter.on('rules.uninstall', (info) => ({ ...info, jobStatus: 'UNINSTALLED' }));
    const keep = { ...jobInfo(), keepInputQueue: true };
    await http().post('/api/uninstall').send(keep).expect(200);
    expect(t.adapter.calls).toEqual([{ pattern: 'rules.uninstall', request: keep }]);
    for (const bad of ['yes', null]) {
      const res = await http()
        .post('/api/uninstall')
        .send({ ...jobInfo(), keepInputQueue: bad })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'keepInputQueue' })]);
    }
  });

  it('move takes the relocation object (target_runtime snake_case)', async () => {
    t.adapter.on('rules.move', (r) => ({ ...r.jobInfo, targetResource: r.targetResource }));
    const relocation = {
      target_runtime: 'edge',
      targetResource: 'gw2',
      jobInfo: jobInfo({ jobStatus: 'RUNNING' }),
    };
    const res = await http().post('/api/move').send(relocation).expect(200);
    expect(res.body).toEqual(jobInfo({ jobStatus: 'RUNNING', targetResource: 'gw2' }));
    expect(t.adapter.calls[0]).toEqual({ pattern: 'rules.move', request: relocation });
  });

  it('read endpoints map to the adapter', async () => {
    const details = { ...jobInfo(), jobId: 'a/b' } as JobDetails;
    t.adapter
      .on('jobs.list', () => [details])
      .on('jobs.get', ({ jobId }) => ({ ...details, jobId }))
      .on('jobs.config', ({ jobId }) => ({
        configFileName: `${jobId}.json`,
        content: { jobId } as never,
      }))
      .on('runtimes.list', () => [{ runtime: 'edge', targetResource: 'local', health: 'UP' }])
      .on('templates.list', () => []);
    expect((await http().get('/api/jobs').expect(200)).body).toEqual([details]);
    expect((await http().get('/api/jobs/job-9').expect(200)).body.jobId).toBe('job-9');
    expect((await http().get('/api/jobs/job-9/config').expect(200)).body).toEqual({
      configFileName: 'job-9.json',
      content: { jobId: 'job-9' },
    });
    expect((await http().get('/api/runtimes').expect(200)).body).toEqual([
      { runtime: 'edge', targetResource: 'local', health: 'UP' },
    ]);
    expect((await http().get('/api/templates').expect(200)).body).toEqual([]);
  });

  describe('health', () => {
    it('200 with the adapter report when it answers', async () => {
      t.adapter.on('health', () => ({ status: 'ok', components: { database: { status: 'up' } } }));
      const res = await http().get('/api/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        components: {
          proxy: { status: 'up' },
          adapter: { status: 'up' },
          database: { status: 'up' },
        },
      });
    });

    it('503 when the adapter cannot be reached', async () => {
      t.adapter.on('health', () => {
        throw new RuntimeUnavailable('adapter', 'no reply');
      });
      const res = await http().get('/api/health').expect(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.components.adapter.status).toBe('down');
    });
  });

  describe('bad input is a 400 naming the field, never a 500', () => {
    const expectFields = async (path: string, body: unknown, fields: string[]) => {
      const res = await http()
        .post(path)
        .send(body as object)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(fields),
      );
      for (const e of res.body.errors) expect(typeof e.reason).toBe('string');
      expect(t.adapter.calls).toEqual([]);
      return res.body as { errors: Array<{ field: string; reason: string }> };
    };

    it('malformed JSON', async () => {
      const res = await http()
        .post('/api/install')
        .set('Content-Type', 'application/json')
        .send('{"headers": ')
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.errors[0].field).toBe('body');
    });

    it('bad percent-encoding in a path parameter', async () => {
      const res = await http().get('/api/jobs/%FF').expect(400);
      expect(res.body.errors[0].field).toBe('path');
    });

    it('missing headers.runtime', async () => {
      const body = paperInstallation() as unknown as { headers: Record<string, unknown> };
      delete body.headers.runtime;
      const err = await expectFields('/api/install', body, ['headers.runtime']);
      expect(err.errors.find((e) => e.field === 'headers.runtime')?.reason).toContain(
        'edge, flink',
      );
    });

    it('unknown runtime and wrong types in nested connectors', async () => {
      const body = paperInstallation();
      Object.assign(body.headers, { runtime: 'siddhi' });
      Object.assign(body.jobConfig.connectors, { inputQueue: 42, prefetch: 'lots' });
      await expectFields('/api/install', body, [
        'headers.runtime',
        'jobConfig.connectors.inputQueue',
        'jobConfig.connectors.prefetch',
      ]);
    });

    it('missing objects and non-object jobProps', async () => {
      await expectFields('/api/install', { jobProps: 'x' }, ['headers', 'jobConfig', 'jobProps']);
      await expectFields('/api/install', {}, ['headers', 'jobConfig', 'jobProps']);
    });

    it('jobInfo with a wrong status or missing jobId', async () => {
      await expectFields('/api/start', { ...jobInfo(), jobStatus: 'DANCING', jobId: undefined }, [
        'jobStatus',
        'jobId',
      ]);
    });

    it('relocation with a bad target_runtime and nested jobInfo', async () => {
      await expectFields(
        '/api/move',
        { target_runtime: 'cloud', targetResource: 'x', jobInfo: { jobId: 1 } },
        ['target_runtime', 'jobInfo.jobId', 'jobInfo.runtime'],
      );
    });

    it('an array where an object belongs', async () => {
      await expectFields('/api/stop', [jobInfo()], ['jobId']);
    });
  });

  describe('adapter errors map to HTTP', () => {
    it.each([
      ['NotFound', new NotFound('jobId', 'no job job-1'), 404, 'NOT_FOUND'],
      ['Conflict', new Conflict('jobStatus', 'job is UNINSTALLED'), 409, 'CONFLICT'],
      [
        'RuntimeUnavailable',
        new RuntimeUnavailable('adapter', 'no reply'),
        503,
        'RUNTIME_UNAVAILABLE',
      ],
      [
        'ValidationFailed',
        new ValidationFailed([{ field: 'jobProps.condition', reason: 'must be one of ">"' }]),
        400,
        'VALIDATION_FAILED',
      ],
    ])('%s', async (_name, error, status, code) => {
      t.adapter.on('rules.start', () => {
        throw error;
      });
      const res = await http().post('/api/start').send(jobInfo()).expect(status);
      expect(res.body).toEqual({
        statusCode: status,
        code,
        message: error.message,
        errors: error.errors,
      });
    });

    it('an unexpected error is a 500 without internals', async () => {
      t.adapter.on('rules.start', () => {
        throw new Error('secret stack detail');
      });
      const res = await http().post('/api/start').send(jobInfo()).expect(500);
      expect(res.body).toEqual({
        statusCode: 500,
        code: 'INTERNAL',
        message: 'internal error',
        errors: [],
      });
    });
  });

  it('unknown route is a JSON 404', async () => {
    const res = await http().get('/api/nope').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', errors: [] });
  });

  it('serves the OpenAPI document and the UI', async () => {
    const doc = await http().get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/install',
        '/api/move',
        '/api/jobs/{jobId}/config',
        '/api/events/{exchange}/{routingKey}',
      ]),
    );
    expect(doc.body.components.schemas.RelocationDto.properties).toHaveProperty('target_runtime');
    await http().get('/api/docs').expect(200);
  });
});
