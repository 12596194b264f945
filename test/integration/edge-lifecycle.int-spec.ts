/**
 * The paper's whole rule lifecycle on the edge runtime, with proxy, adapter and two agents as
 * separate processes against the real RabbitMQ (vhosts edge/core) and PostgreSQL.
 */
import type { AmqpTestClient } from './support/amqp';
import { RABBITMQ_HOST } from './support/services';
import { aboveThreshold, filterInstallation, readings, uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, TEST_ADMIN_TOKEN, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

interface JobInfo {
  runtime: string;
  jobId: string;
  jobType: string;
  jobStatus: string;
  configFileName: string;
}
interface ErrorBody {
  errors: { field: string; reason: string }[];
}

describe('edge rule lifecycle (separate processes, real RabbitMQ + PostgreSQL)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;

  beforeAll(async () => {
    testSystem = await startTestSystem({ agents: ['gw1', 'gw2'] });
    ({ system, amqp } = testSystem);
  });

  afterAll(() => testSystem?.stop());

  printLogsOnFailure(() => system);

  const install = async (body: Record<string, unknown>): Promise<JobInfo> => {
    const response = await system.api<JobInfo>('POST', '/api/install', body);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('installs the paper object, runs events through, dead-letters bad ones, stops, restarts, uninstalls', async () => {
    const connectors = uniqueConnectors('lifecycle');
    const installed = await install(filterInstallation('gw1', connectors));
    expect(Object.keys(installed).sort()).toEqual(
      expect.arrayContaining(['configFileName', 'jobId', 'jobStatus', 'jobType', 'runtime']),
    );
    expect(installed).toMatchObject({ runtime: 'edge', jobType: 'filter', jobStatus: 'INSTALLED' });
    expect(installed.configFileName).toBe(`${installed.jobId}.json`);

    const config = await system.api<{ configFileName: string; content: { connectors: unknown } }>(
      'GET',
      `/api/jobs/${installed.jobId}/config`,
    );
    expect(config.status).toBe(200);
    expect(config.body.content.connectors).toMatchObject(connectors);
    expect(JSON.stringify(config.body)).not.toContain('guest');

    const started = await system.api<JobInfo>('POST', '/api/start', installed);
    expect(started.body.jobStatus).toBe('RUNNING');

    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const deadLetters = await amqp.collectExisting(`ruleshift.dlq.${installed.jobId}`);
    const events = readings(200);
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, events);
    await amqp.publishRaw(connectors.inputExchange, connectors.inputRoutingKey, [
      Buffer.from('not json at all'),
      Buffer.from(JSON.stringify({ deviceId: 'x', seq: -1 })),
      Buffer.from(JSON.stringify({ deviceId: 'x', seq: -2, temperature: 'hot' })),
    ]);
    const expected = aboveThreshold(events);
    await waitUntil(
      'filtered outputs',
      async () => output.count >= expected.length && deadLetters.count >= 3,
    );
    expect(output.json()).toEqual(expected);
    expect(deadLetters.messages.map((m) => m.properties.headers?.['x-ruleshift-reason'])).toEqual([
      'not-json',
      'missing-field',
      'wrong-type',
    ]);

    const stopped = await system.api<JobInfo>('POST', '/api/stop', started.body);
    expect(stopped.body.jobStatus).toBe('STOPPED');
    // Events published while stopped wait in the durable input queue and flow after start.
    const whileStopped = readings(20).map((e) => ({ ...e, seq: e.seq + 10_000 }));
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, whileStopped);
    const restarted = await system.api<JobInfo>('POST', '/api/start', stopped.body);
    expect(restarted.body.jobStatus).toBe('RUNNING');
    await waitUntil(
      'outputs after restart',
      async () => output.count >= expected.length + aboveThreshold(whileStopped).length,
    );
    expect(output.json().slice(expected.length)).toEqual(aboveThreshold(whileStopped));

    const details = await system.api<{ jobStatus: string; history: { status: string }[] }>(
      'GET',
      `/api/jobs/${installed.jobId}`,
    );
    expect(details.body.history.map((h) => h.status)).toEqual([
      'INSTALLED',
      'RUNNING',
      'STOPPED',
      'RUNNING',
    ]);

    const uninstalled = await system.api<JobInfo>('POST', '/api/uninstall', restarted.body);
    expect(uninstalled.body.jobStatus).toBe('UNINSTALLED');
    const startAgain = await system.api<ErrorBody>('POST', '/api/start', uninstalled.body);
    expect(startAgain.status).toBe(409);
  });

  it('answers bad requests with 4xx naming the field, and never 500', async () => {
    const connectors = uniqueConnectors('errors');
    const missingRuntime = filterInstallation('gw1', connectors);
    (missingRuntime.headers as Record<string, unknown>).runtime = undefined;
    const cases: [Record<string, unknown> | string, number, string][] = [
      [missingRuntime, 400, 'headers.runtime'],
      [
        {
          ...filterInstallation('gw1', connectors),
          jobProps: { condition: '!=', threshold: 1, fieldName: 'a' },
        },
        400,
        'jobProps.condition',
      ],
      [
        {
          ...filterInstallation('gw1', connectors),
          jobProps: { condition: '>', threshold: 1, fieldName: 'a', fieldJsonPath: '$..[' },
        },
        400,
        'jobProps.fieldJsonPath',
      ],
      [
        {
          ...filterInstallation('gw1', connectors),
          headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'no-such-template' },
        },
        404,
        'headers.jobType',
      ],
      [filterInstallation('no-such-gateway', connectors), 404, 'headers.targetResource'],
      [
        {
          ...filterInstallation('gw1', {
            ...connectors,
            inputEndpoint: 'amqp://guest:guest@127.0.0.1:5672/edge',
          }),
        },
        400,
        'jobConfig.connectors.inputEndpoint',
      ],
      // The broker allow-list: another vhost on the configured host is no configured broker.
      [
        {
          ...filterInstallation('gw1', {
            ...connectors,
            outputEndpoint: `amqp://${RABBITMQ_HOST}/ruleshift-not-configured`,
          }),
        },
        400,
        'jobConfig.connectors.outputEndpoint',
      ],
    ];
    for (const [body, status, field] of cases) {
      const response = await system.api<ErrorBody>('POST', '/api/install', body);
      expect({ field, status: response.status }).toEqual({ field, status });
      expect(response.body.errors.map((e) => e.field)).toContain(field);
    }
    const malformed = await fetch(`${system.proxyUrl}/api/install`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      },
      body: '{"headers": ',
    });
    expect(malformed.status).toBe(400);

    const unknownJob = {
      runtime: 'edge',
      jobId: '00000000-0000-4000-8000-000000000000',
      jobType: 'filter',
      jobStatus: 'INSTALLED',
      configFileName: 'x.json',
    };
    for (const op of ['start', 'stop', 'uninstall']) {
      expect((await system.api('POST', `/api/${op}`, unknownJob)).status).toBe(404);
    }
    expect((await system.api('GET', `/api/jobs/${unknownJob.jobId}`)).status).toBe(404);

    const installed = await install(filterInstallation('gw1', connectors));
    expect((await system.api('POST', '/api/stop', installed)).status).toBe(409);
    const move = { target_runtime: 'edge', targetResource: 'gw1', jobInfo: installed };
    expect((await system.api('POST', '/api/move', move)).status).toBe(400);
    const moveToNowhere = { target_runtime: 'edge', targetResource: 'nowhere', jobInfo: installed };
    expect((await system.api('POST', '/api/move', moveToNowhere)).status).toBe(404);

    // Two operations on one job at once: exactly one wins, the other gets 409.
    const racing = await Promise.all([
      system.api('POST', '/api/move', {
        target_runtime: 'edge',
        targetResource: 'gw2',
        jobInfo: installed,
      }),
      system.api('POST', '/api/start', installed),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    await system.api('POST', '/api/uninstall', installed);
  });

  it('survives SIGKILL of the agent: the rule resumes after restart and no acknowledged event is lost', async () => {
    const connectors = uniqueConnectors('crash');
    const installed = await install(filterInstallation('gw1', connectors));
    await system.api('POST', '/api/start', installed);
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(10_000);
    const publishing = amqp.publishJson(
      connectors.inputExchange,
      connectors.inputRoutingKey,
      events,
    );
    await waitUntil('some outputs before the crash', async () => output.count > 500);
    await system.kill('gw1', 'SIGKILL');
    await publishing;
    system.restart('gw1');
    const expected = aboveThreshold(events);
    await waitUntil(
      'every output after restart',
      async () => {
        const seen = new Set(output.json<{ seq: number }>().map((e) => e.seq));
        return expected.every((e) => seen.has(e.seq));
      },
      120_000,
    );
    // At-least-once across a crash: every expected event arrived; nothing else did.
    const seqs = new Set(output.json<{ seq: number }>().map((e) => e.seq));
    expect([...seqs].sort((a, b) => a - b)).toEqual(expected.map((e) => e.seq));
    const job = await system.api<{ jobStatus: string }>('GET', `/api/jobs/${installed.jobId}`);
    expect(job.body.jobStatus).toBe('RUNNING');
    await system.api('POST', '/api/uninstall', { ...installed, jobStatus: 'RUNNING' });
  });

  it('moves a running rule between agents while 20,000 events flow: every output exactly once', async () => {
    const connectors = uniqueConnectors('move');
    const installed = await install(filterInstallation('gw1', connectors));
    const running = (await system.api<JobInfo>('POST', '/api/start', installed)).body;
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(20_000);
    const publishing = amqp.publishJson(
      connectors.inputExchange,
      connectors.inputRoutingKey,
      events,
    );
    await waitUntil('outputs before the move', async () => output.count > 1_000);
    const moved = await system.api<JobInfo & { targetResource?: string }>('POST', '/api/move', {
      target_runtime: 'edge',
      targetResource: 'gw2',
      jobInfo: running,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.jobStatus).toBe('RUNNING');
    await publishing;
    const expected = aboveThreshold(events);
    await waitUntil(
      'all outputs after the move',
      async () => output.count >= expected.length,
      120_000,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would arrive late: give it time
    const seqs = output.json<{ seq: number }>().map((e) => e.seq);
    expect(seqs.length).toBe(expected.length);
    expect(new Set(seqs).size).toBe(expected.length);
    // Per-device order holds across the move.
    const byDevice = new Map<string, number[]>();
    for (const e of output.json<{ deviceId: string; seq: number }>()) {
      byDevice.set(e.deviceId, [...(byDevice.get(e.deviceId) ?? []), e.seq]);
    }
    for (const list of byDevice.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
    const job = await system.api<{ targetResource: string }>('GET', `/api/jobs/${installed.jobId}`);
    expect(job.body.targetResource).toBe('gw2');
  });

  it('API keys and roles through the separate proxy process (adapter over RabbitMQ, PostgreSQL)', async () => {
    expect((await system.api('GET', '/api/jobs', undefined, null)).status).toBe(401);
    expect((await system.api('GET', '/api/health', undefined, null)).status).toBe(200);
    const created = await system.api<{ id: string; token: string }>('POST', '/api/tokens', {
      name: 'it-viewer',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const viewer = created.body.token;
    expect((await system.api('GET', '/api/runtimes', undefined, viewer)).status).toBe(200);
    const refused = await system.api(
      'POST',
      '/api/install',
      filterInstallation('gw1', uniqueConnectors('auth')),
      viewer,
    );
    expect(refused.status).toBe(403);
    const keys = await system.api<Array<{ id: string; lastUsedAt: string | null }>>(
      'GET',
      '/api/tokens',
    );
    expect(keys.body.find((k) => k.id === created.body.id)?.lastUsedAt).toEqual(expect.any(String));
    await waitUntil('the refused install in the audit log', async () => {
      const page = await system.api<{ entries: Array<{ subject: string; statusCode: number }> }>(
        'GET',
        '/api/audit',
      );
      return page.body.entries.some(
        (e) => e.subject === `key:${created.body.id}` && e.statusCode === 403,
      );
    });
    expect((await system.api('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(200);
    expect((await system.api('GET', '/api/runtimes', undefined, viewer)).status).toBe(401);
  });
});
