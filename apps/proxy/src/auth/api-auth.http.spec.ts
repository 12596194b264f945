import { createHash } from 'node:crypto';
import type { AgentInfo, ApiRole, ApiTokenInfo } from '@ruleshift/contracts';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';
import { jobInfo, paperInstallation } from '../testing/paper-objects';
import { overheatPipeline, pipelineInfo } from '../testing/pipeline-objects';
import { hashApiKeySecret } from './api-key-secret';

const KEY: Record<ApiRole, string> = {
  viewer: 'rs_viewer-key-0123456789',
  operator: 'rs_operator-key-0123456789',
  admin: 'rs_admin-key-0123456789',
};
const tokenInfo = (role: ApiRole, id = `${role}-id`): ApiTokenInfo => ({
  id,
  name: role,
  role,
  createdBy: 'bootstrap-admin',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
});

const agentInfo = (agentId: string): AgentInfo => ({
  agentId,
  status: 'ENROLLED',
  createdBy: 'bootstrap-admin',
  createdAt: '2026-01-01T00:00:00.000Z',
  enrolmentExpiresAt: null,
  enrolledAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
  publicKeyFingerprint: null,
});

type Needed = ApiRole | 'public';
interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  /** The path as the OpenAPI document names it. */
  documented: string;
  needed: Needed;
  body?: object;
  /** Status once past authentication (the fake adapter answers every pattern). */
  allowed: number;
}

const relocation = { target_runtime: 'edge', targetResource: 'gw-2', jobInfo: jobInfo() };

/** Every route of the API: the table the guard is checked against. */
const ROUTES: Route[] = [
  { method: 'get', path: '/api/health', documented: '/api/health', needed: 'public', allowed: 200 },
  {
    method: 'get',
    path: '/api/health/details',
    documented: '/api/health/details',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/runtimes',
    documented: '/api/runtimes',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/templates',
    documented: '/api/templates',
    needed: 'viewer',
    allowed: 200,
  },
  { method: 'get', path: '/api/jobs', documented: '/api/jobs', needed: 'viewer', allowed: 200 },
  {
    method: 'get',
    path: '/api/jobs/job-1',
    documented: '/api/jobs/{jobId}',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/jobs/job-1/config',
    documented: '/api/jobs/{jobId}/config',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/jobs/job-1/deadletters',
    documented: '/api/jobs/{jobId}/deadletters',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'post',
    path: '/api/jobs/job-1/deadletters/replay',
    documented: '/api/jobs/{jobId}/deadletters/replay',
    needed: 'operator',
    body: { count: 1 },
    allowed: 200,
  },
  {
    method: 'delete',
    path: '/api/jobs/job-1/deadletters',
    documented: '/api/jobs/{jobId}/deadletters',
    needed: 'operator',
    allowed: 200,
  },
  {
    method: 'put',
    path: '/api/jobs/job-1/placement',
    documented: '/api/jobs/{jobId}/placement',
    needed: 'operator',
    body: { mode: 'auto', candidates: ['edge/gw-1', 'edge/gw-2'] },
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/placement/decisions',
    documented: '/api/placement/decisions',
    needed: 'viewer',
    allowed: 200,
  },
  { method: 'get', path: '/metrics', documented: '/metrics', needed: 'viewer', allowed: 200 },
  // No such exchange: past the guard the tail answers 404 instead of streaming forever.
  {
    method: 'get',
    path: '/api/events/nope/key/tail',
    documented: '/api/events/{exchange}/{routingKey}/tail',
    needed: 'viewer',
    allowed: 404,
  },
  {
    method: 'post',
    path: '/api/events/sensors/temperature',
    documented: '/api/events/{exchange}/{routingKey}',
    needed: 'operator',
    body: { temperature: 1 },
    allowed: 202,
  },
  {
    method: 'post',
    path: '/api/install',
    documented: '/api/install',
    needed: 'operator',
    body: paperInstallation(),
    allowed: 200,
  },
  {
    method: 'post',
    path: '/api/uninstall',
    documented: '/api/uninstall',
    needed: 'operator',
    body: jobInfo(),
    allowed: 200,
  },
  {
    method: 'post',
    path: '/api/start',
    documented: '/api/start',
    needed: 'operator',
    body: jobInfo(),
    allowed: 200,
  },
  {
    method: 'post',
    path: '/api/stop',
    documented: '/api/stop',
    needed: 'operator',
    body: jobInfo(),
    allowed: 200,
  },
  {
    method: 'post',
    path: '/api/move',
    documented: '/api/move',
    needed: 'operator',
    body: relocation,
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/pipelines',
    documented: '/api/pipelines',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'get',
    path: '/api/pipelines/overheat',
    documented: '/api/pipelines/{pipeline}',
    needed: 'viewer',
    allowed: 200,
  },
  {
    method: 'post',
    path: '/api/pipelines',
    documented: '/api/pipelines',
    needed: 'operator',
    body: overheatPipeline(),
    allowed: 200,
  },
  ...(['start', 'stop', 'uninstall'] as const).map((operation): Route => ({
    method: 'post',
    path: `/api/pipelines/overheat/${operation}`,
    documented: `/api/pipelines/{pipeline}/${operation}`,
    needed: 'operator',
    allowed: 200,
  })),
  {
    method: 'post',
    path: '/api/tokens',
    documented: '/api/tokens',
    needed: 'admin',
    body: { name: 'ci', role: 'viewer' },
    allowed: 201,
  },
  { method: 'get', path: '/api/tokens', documented: '/api/tokens', needed: 'admin', allowed: 200 },
  {
    method: 'delete',
    path: '/api/tokens/viewer-id',
    documented: '/api/tokens/{id}',
    needed: 'admin',
    allowed: 200,
  },
  { method: 'get', path: '/api/audit', documented: '/api/audit', needed: 'admin', allowed: 200 },
  {
    method: 'post',
    path: '/api/agents',
    documented: '/api/agents',
    needed: 'admin',
    body: { agentId: 'gw-new' },
    allowed: 201,
  },
  { method: 'get', path: '/api/agents', documented: '/api/agents', needed: 'admin', allowed: 200 },
  {
    method: 'delete',
    path: '/api/agents/gw-1',
    documented: '/api/agents/{agentId}',
    needed: 'admin',
    allowed: 200,
  },
];

const CALLERS: Array<{ caller: string; token: string | null; role: ApiRole | null }> = [
  { caller: 'no token', token: null, role: null },
  { caller: 'unknown key', token: 'rs_not-a-key-0123456789', role: null },
  { caller: 'viewer', token: KEY.viewer, role: 'viewer' },
  { caller: 'operator', token: KEY.operator, role: 'operator' },
  { caller: 'admin', token: KEY.admin, role: 'admin' },
];

const RANK: Record<Needed, number> = { public: -1, viewer: 0, operator: 1, admin: 2 };

function expectedStatus(route: Route, role: ApiRole | null): number {
  if (route.needed === 'public') return route.allowed;
  if (role === null) return 401;
  return RANK[role] >= RANK[route.needed] ? route.allowed : 403;
}

/** A fake adapter that knows the three keys and answers every pattern the routes use. */
function stubAdapter(t: ProxyTestApp): void {
  const byHash = new Map(
    (Object.keys(KEY) as ApiRole[]).map((role) => [hashApiKeySecret(KEY[role]), tokenInfo(role)]),
  );
  t.adapter
    .on('tokens.verify', ({ secretHash }) => ({ token: byHash.get(secretHash) ?? null }))
    .on('health', () => ({ status: 'ok', components: {} }))
    .on('runtimes.list', () => [])
    .on('templates.list', () => [])
    .on('jobs.list', () => ({ items: [] }))
    .on('jobs.get', () => ({ ...jobInfo() }) as never)
    .on('jobs.config', () => ({ configFileName: 'job-1.json', content: {} as never }))
    .on('deadletters.list', ({ jobId }) => ({
      jobId,
      total: 0,
      byReason: {},
      overflowed: 0,
      messages: [],
    }))
    .on('deadletters.replay', () => ({ replayed: 0 }))
    .on('metrics.scrape', () => ({ text: '' }))
    .on('placement.set', ({ placement }) => placement)
    .on('placement.decisions', () => ({ decisions: [], nextBefore: null }))
    .on('agents.create', () => ({}) as never)
    .on('agents.list', () => [])
    .on('agents.revoke', () => ({}) as never)
    .on('deadletters.purge', () => ({ purged: 0 }))
    .on('rules.install', () => jobInfo())
    .on('rules.uninstall', () => jobInfo({ jobStatus: 'UNINSTALLED' }))
    .on('rules.start', () => jobInfo({ jobStatus: 'RUNNING' }))
    .on('rules.stop', () => jobInfo({ jobStatus: 'STOPPED' }))
    .on('rules.move', () => jobInfo())
    .on('tokens.create', (r) => tokenInfo(r.role, 'new-id'))
    .on('tokens.list', () => [tokenInfo('viewer')])
    .on('agents.create', ({ agentId }) => ({ agent: agentInfo(agentId), enrolmentToken: 'rse_x' }))
    .on('agents.list', () => [agentInfo('gw-1')])
    .on('agents.revoke', ({ agentId }) => ({ ...agentInfo(agentId), status: 'REVOKED' as const }))
    .on('tokens.revoke', ({ id }) => ({ ...tokenInfo('viewer', id), revokedAt: 'now' }))
    .on('audit.list', () => ({ entries: [], nextBefore: null }))
    .on('pipelines.create', () => pipelineInfo())
    .on('pipelines.list', () => [pipelineInfo()])
    .on('pipelines.get', () => ({ ...pipelineInfo() }) as never)
    .on('pipelines.start', () => pipelineInfo('RUNNING'))
    .on('pipelines.stop', () => pipelineInfo('STOPPED'))
    .on('pipelines.uninstall', () => pipelineInfo('UNINSTALLED'));
}

describe('API authentication and roles (HTTP)', () => {
  let t: ProxyTestApp;

  beforeEach(async () => {
    t = await createProxyTestApp();
    stubAdapter(t);
    await t.broker.assert({
      exchanges: [{ name: 'sensors', type: 'direct' }],
      queues: [],
      bindings: [],
    });
  });
  afterEach(async () => {
    await t.close();
  });

  it('the table covers every route the OpenAPI document lists', async () => {
    const doc = (await t.http(null).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.documented}`).sort());
  });

  describe.each(ROUTES)('$method $path (needs $needed)', (route) => {
    it.each(CALLERS)('$caller', async ({ token, role }) => {
      const call = t.http(token)[route.method](route.path);
      const res = await (route.body ? call.send(route.body) : call);
      expect(res.status).toBe(expectedStatus(route, role));
      if (res.status === 401 || res.status === 403) {
        expect(res.body).toEqual({
          statusCode: res.status,
          code: res.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          message: expect.any(String),
          errors: [{ field: 'headers.authorization', reason: expect.any(String) }],
        });
      }
    });
  });

  it('401 for a malformed Authorization header and for a JWT without OIDC configured', async () => {
    const basic = await t
      .http(null)
      .get('/api/jobs')
      .set('authorization', 'Basic YWRtaW46YWRtaW4=');
    expect(basic.status).toBe(401);
    expect(basic.body.errors[0].reason).toBe('must be "Bearer <token>"');
    const jwt = await t.http('aaa.bbb.ccc').get('/api/jobs');
    expect(jwt.status).toBe(401);
  });

  it('caches a verified key, and forgets it at once when this proxy revokes it', async () => {
    let revoked = false;
    t.adapter.on('tokens.verify', ({ secretHash }) => ({
      token: !revoked && secretHash === hashApiKeySecret(KEY.viewer) ? tokenInfo('viewer') : null,
    }));
    t.adapter.on('tokens.revoke', ({ id }) => {
      revoked = true;
      return { ...tokenInfo('viewer', id), revokedAt: '2026-01-01T00:00:01.000Z' };
    });
    await t.http(KEY.viewer).get('/api/jobs').expect(200);
    await t.http(KEY.viewer).get('/api/jobs').expect(200);
    const verifications = () => t.adapter.calls.filter((c) => c.pattern === 'tokens.verify');
    expect(verifications()).toHaveLength(1);
    await t.http().delete('/api/tokens/viewer-id').expect(200);
    await t.http(KEY.viewer).get('/api/jobs').expect(401);
    expect(verifications()).toHaveLength(2);
  });

  it('mints a key in the proxy: the adapter gets only its sha256, the caller the secret once', async () => {
    const res = await t
      .http()
      .post('/api/tokens')
      .send({ name: 'ci', role: 'operator' })
      .expect(201);
    expect(res.body.token).toMatch(/^rs_[A-Za-z0-9_-]{43}$/);
    const sent = t.adapter.calls.find((c) => c.pattern === 'tokens.create')?.request;
    expect(sent).toEqual({
      name: 'ci',
      role: 'operator',
      createdBy: 'bootstrap-admin',
      expiresAt: null,
      secretHash: createHash('sha256').update(res.body.token).digest('hex'),
    });
    expect(JSON.stringify(sent)).not.toContain(res.body.token);
  });

  it('names bad token requests: unknown role, past expiry, empty name', async () => {
    const res = await t
      .http()
      .post('/api/tokens')
      .send({ name: '', role: 'root', expiresAt: 'tomorrow' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'expiresAt',
      'name',
      'role',
    ]);
    const past = await t
      .http()
      .post('/api/tokens')
      .send({ name: 'old', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body.errors).toEqual([{ field: 'expiresAt', reason: 'must be in the future' }]);
    const page = await t.http().get('/api/audit?limit=0').expect(400);
    expect(page.body.errors[0].field).toBe('limit');
  });

  it('audits mutating calls of identified callers with a body digest, never a secret', async () => {
    const body = paperInstallation();
    await t.http(KEY.operator).post('/api/install').send(body).expect(200);
    await t
      .http(KEY.viewer)
      .post('/api/stop')
      .send(jobInfo({ jobId: 'job-9' }))
      .expect(403);
    await t.http(null).post('/api/stop').send(jobInfo()).expect(401);
    await t.http(KEY.viewer).get('/api/jobs').expect(200);
    // Sentinel: one more audited call, so the two before it were recorded (or skipped) first.
    await t
      .http()
      .post('/api/start')
      .send(jobInfo({ jobId: 'sentinel' }))
      .expect(200);
    const audited = await t.adapter.auditedCount(3);
    expect(audited).toEqual([
      {
        subject: 'key:operator-id',
        role: 'operator',
        operation: 'POST /api/install',
        jobId: 'job-1',
        bodyDigest: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
        statusCode: 200,
        clientAddress: expect.any(String),
        at: expect.any(String),
      },
      expect.objectContaining({
        subject: 'key:viewer-id',
        role: 'viewer',
        operation: 'POST /api/stop',
        jobId: 'job-9',
        statusCode: 403,
      }),
      expect.objectContaining({
        subject: 'bootstrap-admin',
        operation: 'POST /api/start',
        statusCode: 200,
      }),
    ]);
    expect(JSON.stringify(audited)).not.toMatch(/rs_/);
  });
});

describe('failed authentications are rate limited per client address', () => {
  let t: ProxyTestApp;

  beforeEach(async () => {
    t = await createProxyTestApp({
      failedAuth: { maxFailures: 3, windowSeconds: 60, blockSeconds: 120 },
    });
    t.adapter.on('tokens.verify', () => ({ token: null })).on('jobs.list', () => ({ items: [] }));
  });
  afterEach(async () => {
    await t.close();
  });

  it('429 with Retry-After past the limit, then even for a valid token', async () => {
    await t.http().get('/api/jobs').expect(200);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await t.http('rs_guess-0123456789').get('/api/jobs').expect(401);
    }
    const limited = await t.http('rs_guess-0123456789').get('/api/jobs').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      errors: [{ field: 'headers.authorization' }],
    });
    const blocked = await t.http().get('/api/jobs').expect(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    // Liveness stays open: it needs no authentication.
    await t.http(null).get('/api/health').expect(200);
  });
});
