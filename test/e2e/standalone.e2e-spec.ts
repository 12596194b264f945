/**
 * `npm start` end to end, on embedded defaults only (in-process brokers, in-memory PGlite): the
 * paper's filter rule installed through the REST API on the in-process agent, fed through
 * /api/events, its outputs and dead letters read back from the brokers, moved to a second
 * agent while events flow, and the API's error answers. Every call carries a bearer token: an
 * operator API key created by the bootstrap admin, as an operator would run it.
 */
import request from 'supertest';
import type { BrokerConnection } from '@ruleshift/broker';
import { DEAD_LETTER_HEADERS, type InstallationObject, type JobInfo } from '@ruleshift/contracts';
import type { StandaloneHandle } from '../../apps/standalone/src';
import {
  startEmbeddedStandalone,
  waitForRuntimeUp,
  type EmbeddedStandalone,
} from '../support/embedded-http';
import { Collector } from '../support/queue-collector';

const installation = (inputQueue: string, outputRoutingKey: string): InstallationObject => ({
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
  jobConfig: {
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue,
      inputRoutingKey: 'temperature',
      outputEndpoint: 'edge',
      outputExchange: 'alerts',
      outputRoutingKey,
    },
  },
  jobProps: {
    condition: '>',
    threshold: 20,
    fieldName: 'temperature',
    fieldJsonPath: '$.temperature',
  },
});

describe('standalone end to end (embedded defaults)', () => {
  let embedded: EmbeddedStandalone;
  let standalone: StandaloneHandle;
  let edge: BrokerConnection;
  const ADMIN_TOKEN = 'rs_e2e-admin-token-0123456789abcdef';
  let operatorToken: string;
  /** As the operator API key unless another token is given (null: no header). */
  const http = (token: string | null = operatorToken) => {
    const agent = request.agent(standalone.url);
    return token === null ? agent : agent.set('authorization', `Bearer ${token}`);
  };
  const admin = () => http(ADMIN_TOKEN);

  const runtimeIsUp = (targetResource: string): Promise<void> =>
    waitForRuntimeUp(standalone.url, operatorToken, targetResource);

  /** Our own queue on the output exchange, so we read the rule's outputs without racing it. */
  const collectOutputs = async (queue: string, routingKey: string): Promise<Collector> => {
    await edge.assert({
      exchanges: [{ name: 'alerts', type: 'direct' }],
      queues: [{ name: queue }],
      bindings: [{ queue, exchange: 'alerts', routingKey }],
    });
    return Collector.on(edge, queue);
  };

  const publish = async (events: unknown[]): Promise<void> => {
    const res = await http().post('/api/events/sensors/temperature').send(events).expect(202);
    expect(res.body).toEqual({ published: events.length });
  };

  beforeAll(async () => {
    // Waits for agent `local`: booting (PGlite, migrations, Nest) is slow on a loaded machine.
    embedded = await startEmbeddedStandalone({ adminToken: ADMIN_TOKEN });
    standalone = embedded.standalone;
    const created = await admin()
      .post('/api/tokens')
      .send({ name: 'e2e-operator', role: 'operator' })
      .expect(201);
    operatorToken = created.body.token;
    edge = await standalone.brokers.get('edge');
  }, 120_000);

  afterAll(async () => {
    await embedded?.close();
  });

  it('runs the paper filter: install, start, filter in order, dead-letter, stop, read, uninstall', async () => {
    const installed = await http()
      .post('/api/install')
      .send(installation('e2e-filter-in', 'hot'))
      .expect(200);
    const jobInfo = installed.body as JobInfo;
    // The paper's five fields, plus only the additive targetResource.
    const paperFields = ['configFileName', 'jobId', 'jobStatus', 'jobType', 'runtime'];
    expect(
      Object.keys(jobInfo)
        .filter((k) => k !== 'targetResource')
        .sort(),
    ).toEqual(paperFields);
    expect(jobInfo).toMatchObject({
      runtime: 'edge',
      jobId: expect.any(String),
      jobType: 'filter',
      jobStatus: 'INSTALLED',
      configFileName: `${jobInfo.jobId}.json`,
    });
    const outputs = await collectOutputs('e2e-hot', 'hot');

    const started = await http().post('/api/start').send(jobInfo).expect(200);
    expect(started.body).toMatchObject({ jobId: jobInfo.jobId, jobStatus: 'RUNNING' });

    await publish([
      { id: 1, temperature: 10 },
      { id: 2, temperature: 25.5 },
      { id: 3, temperature: 'very hot' },
      { id: 4, temperature: 20 },
      { id: 5, temperature: 21 },
      { id: 6, humidity: 40 },
      { id: 7, temperature: 99 },
    ]);
    await outputs.waitFor(3);
    expect(outputs.values()).toEqual([
      { id: 2, temperature: 25.5 },
      { id: 5, temperature: 21 },
      { id: 7, temperature: 99 },
    ]);

    const deadLetters = await Collector.on(edge, `ruleshift.dlq.${jobInfo.jobId}`);
    await deadLetters.waitFor(2);
    expect(deadLetters.values()).toEqual([
      { id: 3, temperature: 'very hot' },
      { id: 6, humidity: 40 },
    ]);
    expect(deadLetters.messages.map((m) => m.headers[DEAD_LETTER_HEADERS.reason])).toEqual([
      'wrong-type',
      'missing-field',
    ]);

    const stopped = await http().post('/api/stop').send(started.body).expect(200);
    expect(stopped.body).toMatchObject({ jobId: jobInfo.jobId, jobStatus: 'STOPPED' });

    const details = (await http().get(`/api/jobs/${jobInfo.jobId}`).expect(200)).body;
    expect(details).toMatchObject({
      jobId: jobInfo.jobId,
      jobStatus: 'STOPPED',
      runtime: 'edge',
      targetResource: 'local',
      jobProps: installation('e2e-filter-in', 'hot').jobProps,
    });
    expect(details.history.map((h: { status: string }) => h.status)).toEqual(
      expect.arrayContaining(['INSTALLED', 'RUNNING', 'STOPPED']),
    );
    expect((await http().get('/api/jobs').expect(200)).body.map((j: JobInfo) => j.jobId)).toContain(
      jobInfo.jobId,
    );

    const config = (await http().get(`/api/jobs/${jobInfo.jobId}/config`).expect(200)).body;
    expect(config).toMatchObject({
      configFileName: jobInfo.configFileName,
      content: {
        jobId: jobInfo.jobId,
        jobType: 'filter',
        connectors: installation('e2e-filter-in', 'hot').jobConfig.connectors,
        jobProps: installation('e2e-filter-in', 'hot').jobProps,
      },
    });

    const uninstalled = await http().post('/api/uninstall').send(stopped.body).expect(200);
    expect(uninstalled.body).toMatchObject({ jobId: jobInfo.jobId, jobStatus: 'UNINSTALLED' });
    const conflict = await http().post('/api/start').send(uninstalled.body).expect(409);
    expect(conflict.body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });

    await outputs.close();
    await deadLetters.close();
  });

  it("shows, replays and purges a rule's dead letters through the API (audited)", async () => {
    const jobInfo = (
      await http().post('/api/install').send(installation('e2e-dlq-in', 'dlq-hot')).expect(200)
    ).body as JobInfo;
    const started = (await http().post('/api/start').send(jobInfo).expect(200)).body as JobInfo;
    const deadLetters = async () =>
      (await http().get(`/api/jobs/${jobInfo.jobId}/deadletters?limit=1`).expect(200)).body;
    const untilTotal = async (total: number) => {
      while ((await deadLetters()).total !== total) await new Promise((r) => setTimeout(r, 50));
    };

    await publish([
      { id: 1, temperature: 'hot' },
      { id: 2, humidity: 40 },
    ]);
    await untilTotal(2);
    const report = await deadLetters();
    expect(report).toMatchObject({
      jobId: jobInfo.jobId,
      total: 2,
      byReason: { 'wrong-type': 1, 'missing-field': 1 },
      overflowed: 0,
    });
    expect(report.messages).toEqual([
      {
        reason: 'missing-field',
        detail: expect.any(String),
        headers: expect.objectContaining({ [DEAD_LETTER_HEADERS.sourceExchange]: 'sensors' }),
        body: { id: 2, humidity: 40 },
        deadLetteredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);

    // Stopped, the replayed letter waits in the rule's input; started, the rule sees it again.
    const stopped = (await http().post('/api/stop').send(started).expect(200)).body as JobInfo;
    await http()
      .post(`/api/jobs/${jobInfo.jobId}/deadletters/replay`)
      .send({ count: 1 })
      .expect(200, { replayed: 1 });
    expect(await edge.queueDepth('e2e-dlq-in')).toBe(1);
    expect((await deadLetters()).total).toBe(1);
    await http().post('/api/start').send(stopped).expect(200);
    await untilTotal(2);

    await http().delete(`/api/jobs/${jobInfo.jobId}/deadletters`).expect(200, { purged: 2 });
    expect((await deadLetters()).total).toBe(0);
    await http(null).get(`/api/jobs/${jobInfo.jobId}/deadletters`).expect(401);
    const viewer = (
      await admin().post('/api/tokens').send({ name: 'e2e-dlq-viewer', role: 'viewer' }).expect(201)
    ).body.token as string;
    await http(viewer).get(`/api/jobs/${jobInfo.jobId}/deadletters`).expect(200);
    await http(viewer).delete(`/api/jobs/${jobInfo.jobId}/deadletters`).expect(403);
    await http()
      .post(`/api/jobs/${jobInfo.jobId}/deadletters/replay`)
      .send({ count: 0 })
      .expect(400);

    // Entries are written once each response is sent: wait for the last call's (the 400).
    type Entry = { operation: string; jobId: string | null; statusCode: number };
    const replayPath = `POST /api/jobs/${jobInfo.jobId}/deadletters/replay`;
    let audit: Entry[] = [];
    while (!audit.some((e) => e.operation === replayPath && e.statusCode === 400)) {
      audit = (await admin().get('/api/audit?limit=50').expect(200)).body.entries as Entry[];
    }
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          operation: `POST /api/jobs/${jobInfo.jobId}/deadletters/replay`,
          jobId: jobInfo.jobId,
          statusCode: 200,
        }),
        expect.objectContaining({
          operation: `DELETE /api/jobs/${jobInfo.jobId}/deadletters`,
          jobId: jobInfo.jobId,
          statusCode: 200,
        }),
      ]),
    );
  });

  it('serves Prometheus metrics: the rule, the agent, operation durations, the process', async () => {
    const jobInfo = (
      await http().post('/api/install').send(installation('e2e-metrics-in', 'm-hot')).expect(200)
    ).body as JobInfo;
    await http().post('/api/start').send(jobInfo).expect(200);
    await publish([{ temperature: 30 }, { temperature: 10 }, { humidity: 1 }]);
    const rule = `job_id="${jobInfo.jobId}",job_type="filter",runtime="edge",target="local"`;
    let lines: string[] = [];
    // The figures arrive with the agent's next heartbeat.
    while (!lines.includes(`ruleshift_rule_events_in_total{${rule}} 3`)) {
      const res = await http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      lines = res.text.split('\n');
    }
    expect(lines).toEqual(
      expect.arrayContaining([
        `ruleshift_rule_events_out_total{${rule}} 1`,
        `ruleshift_rule_dead_letters_total{${rule},reason="missing-field"} 1`,
        `ruleshift_rule_input_backlog{${rule}} 0`,
        'ruleshift_agent_up{agent="local"} 1',
        // The in-process agent's load is the process's: its own series are left out.
        'ruleshift_agent_shares_process{agent="local"} 1',
      ]),
    );
    expect(lines.filter((l) => /^ruleshift_agent_(cpu_ratio|memory_bytes)\{/.test(l))).toEqual([]);
    expect(lines.some((l) => l.startsWith('process_resident_memory_bytes '))).toBe(true);
    expect(
      lines.some((l) =>
        l.startsWith(
          'ruleshift_operation_duration_seconds_count{operation="rules.install",result="ok"} ',
        ),
      ),
    ).toBe(true);
    await http(null).get('/metrics').expect(401);
  });

  it('moves a running rule to a second agent while events flow: every output exactly once', async () => {
    await standalone.startAgent('gw2', { heartbeatIntervalMs: 200 });
    await runtimeIsUp('gw2');
    const outputs = await collectOutputs('e2e-move-out', 'moved');
    const installed = await http()
      .post('/api/install')
      .send(installation('e2e-move-in', 'moved'))
      .expect(200);
    const running = (await http().post('/api/start').send(installed.body).expect(200))
      .body as JobInfo;

    const events = Array.from({ length: 600 }, (_, i) => ({
      seq: i,
      temperature: i % 3 === 0 ? 10 : 30 + (i % 7),
    }));
    const expected = events.filter((e) => e.temperature > 20);
    const feeding = (async () => {
      for (let i = 0; i < events.length; i += 20) await publish(events.slice(i, i + 20));
    })();
    await outputs.waitFor(10); // the rule is demonstrably processing on `local`
    const moved = await http()
      .post('/api/move')
      .send({ target_runtime: 'edge', targetResource: 'gw2', jobInfo: running })
      .expect(200);
    expect(moved.body).toMatchObject({
      jobId: running.jobId,
      runtime: 'edge',
      jobStatus: 'RUNNING',
    });
    await feeding;
    // A last event above threshold: outputs keep input order, so once it is out, every earlier
    // output (and any duplicate) is out too.
    const sentinel = { seq: 'last', temperature: 1000 };
    await publish([sentinel]);
    await outputs.waitFor(expected.length + 1);
    while (JSON.stringify(outputs.values().at(-1)) !== JSON.stringify(sentinel)) {
      await outputs.waitFor(outputs.messages.length + 1);
    }
    expect(outputs.values()).toEqual([...expected, sentinel]);

    const details = (await http().get(`/api/jobs/${running.jobId}`).expect(200)).body;
    expect(details).toMatchObject({ jobStatus: 'RUNNING', runtime: 'edge', targetResource: 'gw2' });
    await http().post('/api/stop').send(moved.body).expect(200);
    await outputs.close();
  });

  it('answers errors with the right status and field', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const unknown = await http().get(`/api/jobs/${unknownId}`).expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    await http()
      .post('/api/start')
      .send({
        runtime: 'edge',
        jobId: unknownId,
        jobType: 'filter',
        jobStatus: 'INSTALLED',
        configFileName: 'x.json',
      })
      .expect(404);

    const bad = installation('e2e-bad-in', 'bad');
    bad.jobProps.condition = '!=';
    const invalid = await http().post('/api/install').send(bad).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toContain(
      'jobProps.condition',
    );

    const noRuntime = installation('e2e-bad-in', 'bad') as unknown as {
      headers: Record<string, unknown>;
    };
    delete noRuntime.headers.runtime;
    const missing = await http().post('/api/install').send(noRuntime).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['headers.runtime']);

    await http().get('/api/nowhere').expect(404);
    const templates = (await http().get('/api/templates').expect(200)).body;
    expect(templates.map((t: { jobType: string }) => t.jobType)).toEqual(
      expect.arrayContaining(['filter', 'window-aggregation', 'window-join']),
    );
    expect((await http(null).get('/api/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await http().get('/api/health/details').expect(200)).body.status).toBeDefined();
    await http(null).get('/api/docs-json').expect(200);

    // Not a job id at all (the registry keys are UUIDs): still a 404, never a 500.
    const notAnId = await http().get('/api/jobs/no-such-job').expect(404);
    expect(notAnId.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('secures the API: roles, API key lifecycle, audit log without secrets', async () => {
    const anonymous = await http(null).get('/api/jobs').expect(401);
    expect(anonymous.body).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      errors: [{ field: 'headers.authorization' }],
    });
    const viewer = await admin().post('/api/tokens').send({ name: 'e2e-viewer', role: 'viewer' });
    expect(viewer.status).toBe(201);
    expect(viewer.body.token).toMatch(/^rs_[A-Za-z0-9_-]{43}$/);
    await http(viewer.body.token).get('/api/jobs').expect(200);
    const refused = await http(viewer.body.token)
      .post('/api/install')
      .send(installation('secure-in', 'secure'))
      .expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await http().get('/api/tokens').expect(403);

    const keys = (await admin().get('/api/tokens').expect(200)).body as Array<
      Record<string, unknown>
    >;
    const operatorKey = keys.find((k) => k.name === 'e2e-operator');
    expect(operatorKey).toMatchObject({ role: 'operator', createdBy: 'bootstrap-admin' });
    expect(operatorKey?.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(keys)).not.toContain(operatorToken);
    expect(keys.every((k) => !('token' in k) && !('secretHash' in k))).toBe(true);

    // The audit entries are written once each response is sent: wait for the 403 (the last).
    let entries: Array<Record<string, unknown>> = [];
    for (;;) {
      entries = (await admin().get('/api/audit?limit=500').expect(200)).body.entries;
      if (entries.some((e) => e.statusCode === 403)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const install = entries.find(
      (e) => e.operation === 'POST /api/install' && e.statusCode === 200,
    );
    expect(install).toMatchObject({
      subject: `key:${String(operatorKey?.id)}`,
      role: 'operator',
      jobId: expect.any(String),
      bodyDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(entries.find((e) => e.statusCode === 403)).toMatchObject({
      subject: `key:${String(viewer.body.id)}`,
      role: 'viewer',
      operation: 'POST /api/install',
    });
    const audit = JSON.stringify(entries);
    for (const secret of [operatorToken, viewer.body.token as string, ADMIN_TOKEN]) {
      expect(audit).not.toContain(secret);
    }

    const revoked = await admin()
      .delete(`/api/tokens/${String(viewer.body.id)}`)
      .expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await http(viewer.body.token).get('/api/jobs').expect(401);
  });
});
