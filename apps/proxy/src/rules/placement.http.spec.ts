import { ValidationFailed, placementPolicyErrors } from '@ruleshift/contracts';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';
import { paperInstallation, jobInfo } from '../testing/paper-objects';

const AUTO = { mode: 'auto', candidates: ['edge/local', 'edge/gw2'], prefer: 'edge/local' };

describe('placement API (HTTP)', () => {
  let t: ProxyTestApp;

  beforeEach(async () => {
    t = await createProxyTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('PUT /api/jobs/{jobId}/placement sends the policy with the path jobId and answers it', async () => {
    t.adapter.on('placement.set', ({ placement }) => placement);
    const res = await t.http().put('/api/jobs/job-1/placement').send(AUTO).expect(200);
    expect(res.body).toEqual(AUTO);
    expect(t.adapter.calls).toEqual([
      { pattern: 'placement.set', request: { jobId: 'job-1', placement: AUTO } },
    ]);
  });

  it('refuses a policy without a known mode, naming the field, before the adapter', async () => {
    const res = await t
      .http()
      .put('/api/jobs/job-1/placement')
      .send({ mode: 'sometimes' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'mode', reason: expect.any(String) }]);
    expect(t.adapter.calls).toEqual([]);
  });

  it("answers the adapter's field errors as 400 naming each field", async () => {
    t.adapter.on('placement.set', ({ placement }) => {
      throw new ValidationFailed(placementPolicyErrors(placement, ''));
    });
    const res = await t
      .http()
      .put('/api/jobs/job-1/placement')
      .send({ mode: 'auto', candidates: ['edge/local', 'mars/x'], thresholds: { breaches: 0 } })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'candidates[1]',
      'thresholds.breaches',
    ]);
  });

  it('install passes placement on and refuses a null or non-object one', async () => {
    t.adapter.on('rules.install', () => jobInfo());
    const body = { ...paperInstallation(), placement: AUTO };
    await t.http().post('/api/install').send(body).expect(200);
    expect(t.adapter.calls[0].request).toEqual(body);
    for (const placement of [null, 'auto']) {
      const res = await t
        .http()
        .post('/api/install')
        .send({ ...paperInstallation(), placement })
        .expect(400);
      expect(res.body.errors[0].field).toBe('placement');
    }
  });

  it('GET /api/placement/decisions passes the query on and refuses a bad limit', async () => {
    t.adapter.on('placement.decisions', () => ({ decisions: [], nextBefore: null }));
    await t.http().get('/api/placement/decisions?jobId=job-1&limit=5&before=9').expect(200);
    expect(t.adapter.calls).toEqual([
      {
        pattern: 'placement.decisions',
        request: { jobId: 'job-1', limit: 5, before: '9' },
      },
    ]);
    const res = await t.http().get('/api/placement/decisions?limit=many').expect(400);
    expect(res.body.errors).toEqual([{ field: 'limit', reason: 'must be a positive integer' }]);
  });
});
