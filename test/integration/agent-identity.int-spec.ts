/**
 * Agent identity against the real RabbitMQ and PostgreSQL, with proxy, adapter and agents as
 * separate processes enrolled through the real flow: an impostor's forged install and forged
 * heartbeat take no effect and are counted, a revoked agent gets no rules, a tampered artifact
 * is refused, and per-agent broker users keep an agent to its own control queue.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as amqp from 'amqplib';
import { SigningKey, signMessage } from '@ruleshift/identity';
import {
  CONTROL_EXCHANGE,
  HEARTBEAT_EXCHANGE,
  controlQueueFor,
  type AgentHeartbeat,
  type RuntimeInfo,
} from '@ruleshift/contracts';
import { createAgentBrokerUser, vhostOf, type AgentBrokerUser } from './support/agent-broker-users';
import { aboveThreshold, filterInstallation, readings, uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

const ROOT = path.resolve(__dirname, '../..');
const [A, B, U] = ['id-a', 'id-b', 'id-u'];

interface JobInfo {
  jobId: string;
  jobStatus: string;
}

describe('agent identity (separate processes, real RabbitMQ + PostgreSQL)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;
  let userOfU: AgentBrokerUser | undefined;
  let userOfA: AgentBrokerUser | undefined;
  // The adapter serves this copy of the filter template: one test tampers with it.
  const templatesDir = mkdtempSync(path.join(tmpdir(), 'ruleshift-it-templates-'));
  cpSync(path.join(ROOT, 'templates/filter'), path.join(templatesDir, 'filter'), {
    recursive: true,
  });

  beforeAll(async () => {
    testSystem = await startTestSystem({
      agents: [A, B, U],
      extraEnv: { TEMPLATES_DIR: templatesDir },
      agentEnv: ({ coreUrl }) => {
        // Created before the agents start, on this system's own core vhost.
        userOfU = createAgentBrokerUser(U, vhostOf(coreUrl));
        userOfA = createAgentBrokerUser(A, vhostOf(coreUrl));
        return { [U]: { CORE_AMQP_URL: userOfU.coreUrl } };
      },
    });
    system = testSystem.system;
  });

  afterAll(async () => {
    await testSystem?.stop();
    userOfU?.remove();
    userOfA?.remove();
    rmSync(templatesDir, { recursive: true, force: true });
  });

  printLogsOnFailure(() => system);

  const runtimes = async (): Promise<RuntimeInfo[]> => {
    const { status, body } = await system.api<RuntimeInfo[]>('GET', '/api/runtimes');
    expect(status).toBe(200);
    return body;
  };
  const runtime = async (agentId: string): Promise<RuntimeInfo | undefined> =>
    (await runtimes()).find((r) => r.runtime === 'edge' && r.targetResource === agentId);

  it('lists the agents enrolled through the real flow, with their key fingerprints', async () => {
    const { status, body } = await system.api<{ agentId: string; status: string }[]>(
      'GET',
      '/api/agents',
    );
    expect(status).toBe(200);
    expect(body).toEqual(
      [A, B, U].map((agentId) =>
        expect.objectContaining({
          agentId,
          status: 'ENROLLED',
          publicKeyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ),
    );
    expect(JSON.stringify(body)).not.toContain('rse_');
  });

  it('an impostor forging an install on A and a heartbeat for B: neither takes effect, both counted', async () => {
    const impostor = await amqp.connect(system.coreAmqpUrl, {
      clientProperties: { connection_name: 'identity-impostor' },
    });
    try {
      const channel = await impostor.createConfirmChannel();
      const forgedKey = SigningKey.generate();
      const install = {
        type: 'install',
        config: { jobId: 'forged-job', jobType: 'filter', templateVersion: '1.0.0' },
        artifact: {
          jobType: 'filter',
          version: '1.0.0',
          runtime: 'edge',
          sha256: '0'.repeat(64),
          size: 1,
          path: '/artifacts/filter/1.0.0/edge',
          url: 'http://127.0.0.1:1/evil.js',
          signature: 'AAAA',
        },
      };
      const forged = signMessage(forgedKey, {
        agentId: A,
        issuedAt: new Date().toISOString(),
        nonce: randomUUID(),
        command: install,
      });
      for (const body of [forged, install]) {
        channel.publish(CONTROL_EXCHANGE, A, Buffer.from(JSON.stringify(body)), {
          messageId: randomUUID(),
          correlationId: randomUUID(),
          replyTo: 'ruleshift.adapter',
          contentType: 'application/json',
        });
      }
      const before = await runtime(B);
      const heartbeat: AgentHeartbeat = {
        agentId: B,
        startedAt: new Date().toISOString(),
        sentAt: new Date(Date.now() + 1000).toISOString(),
        version: 'forged',
        cpuPercent: 99,
        rssBytes: 1,
        heapUsedBytes: 1,
        rules: [],
      };
      const heartbeatBody = Buffer.from(JSON.stringify(signMessage(forgedKey, heartbeat)));
      channel.publish(HEARTBEAT_EXCHANGE, '', heartbeatBody);
      channel.publish(HEARTBEAT_EXCHANGE, '', Buffer.from(JSON.stringify(heartbeat)));
      await channel.waitForConfirms();

      // Sentinels: A reports both refusals in its own (signed) heartbeats; the adapter counts B's.
      const a = await waitUntil('A counted two refused commands', async () => {
        const found = await runtime(A);
        return Number(found?.details?.refusedControlMessages) >= 2 ? found : undefined;
      });
      const b = await waitUntil('two refused heartbeats for B', async () => {
        const found = await runtime(B);
        const refused = found?.details?.refusedHeartbeats as { count: number } | undefined;
        return refused && refused.count >= 2 ? found : undefined;
      });
      expect(a.details?.refusedControlMessages).toBe(2);
      expect((a.details?.rules as { jobId: string }[]).map((r) => r.jobId)).not.toContain(
        'forged-job',
      );
      expect(
        await system.api('GET', '/api/jobs/forged-job').then((r) => r.status),
      ).toBeGreaterThanOrEqual(400);
      expect(b.health).toBe('UP');
      expect(b.details?.version).not.toBe('forged');
      expect(b.details?.version).toBe(before?.details?.version);
      expect(b.details?.refusedHeartbeats).toMatchObject({ count: 2 });
      expect(system.process(A).logs()).toContain('control.refused');
    } finally {
      await impostor.close();
    }
  });

  it('with a per-agent broker user, a normal agent works: install, start, events through', async () => {
    const connectors = uniqueConnectors('identity-user');
    const installed = await system.api<JobInfo>(
      'POST',
      '/api/install',
      filterInstallation(U, connectors),
    );
    expect(installed.status).toBe(200);
    const started = await system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(started.body.jobStatus).toBe('RUNNING');
    const output = await testSystem!.amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(20);
    await testSystem!.amqp.publishJson(
      connectors.inputExchange,
      connectors.inputRoutingKey,
      events,
    );
    await waitUntil('filtered events', () =>
      Promise.resolve(output.count === aboveThreshold(events).length),
    );
    expect((await system.api<JobInfo>('POST', '/api/uninstall', started.body)).status).toBe(200);
  });

  it("A's broker user cannot consume B's control queue, nor publish anywhere but its own", async () => {
    const connection = await amqp.connect(userOfA!.coreUrl, {
      clientProperties: { connection_name: 'identity-user-a' },
    });
    connection.on('error', () => undefined);
    const refusal = async (attempt: (channel: amqp.ConfirmChannel) => Promise<unknown>) => {
      const channel = await connection.createConfirmChannel();
      const closed = new Promise<string>((resolve) =>
        channel.on('error', (error: Error) => resolve(error.message)),
      );
      await attempt(channel).catch(() => undefined);
      return closed;
    };
    try {
      expect(await refusal((c) => c.consume(controlQueueFor(B), () => undefined))).toMatch(
        /ACCESS_REFUSED/,
      );
      const publishTo = (exchange: string, key: string) => (c: amqp.ConfirmChannel) => {
        c.publish(exchange, key, Buffer.from('{}'));
        return c.waitForConfirms();
      };
      expect(await refusal(publishTo(CONTROL_EXCHANGE, B))).toMatch(/ACCESS_REFUSED/);
      expect(await refusal(publishTo('', controlQueueFor(B)))).toMatch(/ACCESS_REFUSED/);
      expect(await refusal(publishTo('', 'ruleshift.adapter'))).toMatch(/ACCESS_REFUSED/);
      // What it may do: publish a heartbeat (refused by the adapter unless signed by A).
      const allowed = await connection.createConfirmChannel();
      allowed.publish(HEARTBEAT_EXCHANGE, '', Buffer.from('{}'));
      await allowed.waitForConfirms();
      await allowed.close();
    } finally {
      await connection.close();
    }
  });

  it('refuses a tampered artifact with a clear reason on the job', async () => {
    appendFileSync(path.join(templatesDir, 'filter/edge/rule.js'), '\n// tampered\n');
    const connectors = uniqueConnectors('identity-tampered');
    const installed = await system.api<{ message: string }>(
      'POST',
      '/api/install',
      filterInstallation(A, connectors),
    );
    expect(installed.status).toBe(502);
    expect(installed.body.message).toMatch(/artifact\.sha256: .*tampered.*refused/);
    const jobs = await system.api<{ failureReason?: string }[]>('GET', '/api/jobs?limit=500');
    expect(jobs.body.some((j) => /install failed: .*tampered/.test(j.failureReason ?? ''))).toBe(
      true,
    );
  });

  it('a revoked agent is REFUSED, gets no rules, and its heartbeats are counted', async () => {
    const revoked = await system.api<{ status: string }>('DELETE', `/api/agents/${B}`);
    expect(revoked.body.status).toBe('REVOKED');
    const install = await system.api<{ errors: { field: string }[] }>(
      'POST',
      '/api/install',
      filterInstallation(B, uniqueConnectors('identity-revoked')),
    );
    expect(install.status).toBe(503);
    expect(install.body.errors[0].field).toBe('headers.targetResource');
    const b = await waitUntil('heartbeats of the revoked agent refused', async () => {
      const found = await runtime(B);
      const refused = found?.details?.refusedHeartbeats as { lastReason: string } | undefined;
      return refused?.lastReason === 'revoked' ? found : undefined;
    });
    expect(b.health).toBe('REFUSED');
  });
});
