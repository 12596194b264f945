/**
 * The proxy -> adapter link with separate processes and the real RabbitMQ and PostgreSQL
 * (issue 7, defects 2, 3, 12 and 16): a request the caller was told failed never takes effect,
 * ADAPTER_PREFETCH bounds the requests handled at once, large bodies leave the link serving,
 * and an adapter boots with a backlog of queued requests on fresh vhosts.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { filterInstallation, uniqueConnectors } from './support/rules';
import { RuleshiftSystem, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

jest.setTimeout(240_000);

const AGENT = 'gw-rpc-1';
const ADAPTER_QUEUE = 'ruleshift.adapter';

interface JobRow {
  jobId: string;
}

const jobsOf = (body: unknown): JobRow[] =>
  Array.isArray(body) ? (body as JobRow[]) : ((body as { items: JobRow[] }).items ?? []);

/**
 * POSTs on a connection of its own (no keep-alive), so a reused idle connection the server is
 * closing cannot fail the test; a network error counts as status -1.
 */
function postOnOwnConnection(url: string, body: unknown): Promise<number> {
  return new Promise((resolve) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? -1));
      },
    );
    req.on('error', () => resolve(-1));
    req.end(payload);
  });
}

async function installFilter(system: RuleshiftSystem, prefix: string): Promise<number> {
  const { status } = await system.api(
    'POST',
    '/api/install',
    filterInstallation(AGENT, uniqueConnectors(prefix)),
  );
  return status;
}

describe('proxy -> adapter RPC (ADAPTER_TIMEOUT_MS 6 s, ADAPTER_PREFETCH 2)', () => {
  let test: TestSystem | undefined;
  const system = (): RuleshiftSystem => test!.system;
  printLogsOnFailure(() => test?.system);

  beforeAll(async () => {
    test = await startTestSystem({
      agents: [AGENT],
      extraEnv: { ADAPTER_TIMEOUT_MS: '6000', ADAPTER_PREFETCH: '2' },
    });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('adapter down: the caller gets 503 and the request never takes effect when it returns', async () => {
    await system().kill('adapter');
    const ghost = await system().api<{ code: string }>(
      'POST',
      '/api/install',
      filterInstallation(AGENT, uniqueConnectors('ghost')),
    );
    expect(ghost.status).toBe(503);
    expect(ghost.body.code).toBe('RUNTIME_UNAVAILABLE');

    system().restart('adapter');
    // The sentinel: whatever waited in the queue before it was delivered before it.
    await waitUntil('an install after the restart', async () => {
      return (await installFilter(system(), 'after')) === 200;
    });
    const { body } = await system().api('GET', '/api/jobs');
    expect(jobsOf(body)).toHaveLength(1);
  });

  it('ADAPTER_PREFETCH bounds the requests the adapter handles at once', async () => {
    const db = new Client({ connectionString: system().databaseUrl });
    await db.connect();
    const connection = await amqp.connect(system().coreAmqpUrl);
    const channel = await connection.createChannel();
    try {
      // Every jobs.list now waits for the lock: the adapter can hold only `prefetch` of them.
      await db.query('BEGIN');
      await db.query('LOCK TABLE job IN ACCESS EXCLUSIVE MODE');
      const lists = Array.from({ length: 6 }, () => system().api('GET', '/api/jobs'));
      await waitUntil('4 requests left waiting in the queue', async () => {
        const { messageCount } = await channel.checkQueue(ADAPTER_QUEUE);
        return messageCount === 4;
      });
      await db.query('COMMIT');
      const statuses = (await Promise.all(lists)).map((r) => r.status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
      await connection.close();
    }
  });
});

describe('proxy -> adapter RPC under large bodies', () => {
  let test: TestSystem | undefined;
  const system = (): RuleshiftSystem => test!.system;
  printLogsOnFailure(() => test?.system);

  beforeAll(async () => {
    test = await startTestSystem({ agents: [AGENT] });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('30 requests of 1-4.5 MB leave the link serving: ordinary installs then succeed', async () => {
    const statuses: number[] = [];
    // Five at a time, as clients of one gateway would send them.
    for (let batch = 0; batch < 30; batch += 5) {
      const sent = Array.from({ length: 5 }, (_, j) => {
        const i = batch + j;
        const installation = filterInstallation(AGENT, uniqueConnectors(`large${i}`)) as {
          jobProps: Record<string, unknown>;
        };
        installation.jobProps.note = 'x'.repeat(1_000_000 + (i % 8) * 500_000);
        return postOnOwnConnection(`${system().proxyUrl}/api/install`, installation);
      });
      statuses.push(...(await Promise.all(sent)));
    }
    expect(statuses.filter((s) => s >= 500 || s < 0)).toEqual([]);
    for (let i = 0; i < 3; i++) expect(await installFilter(system(), `ordinary${i}`)).toBe(200);
    expect((await system().api('GET', '/api/health/details')).status).toBe(200);
  });
});

describe('adapter booting with a backlog on fresh vhosts', () => {
  let test: TestSystem | undefined;
  const system = (): RuleshiftSystem => test!.system;
  printLogsOnFailure(() => test?.system);

  beforeAll(async () => {
    test = await startTestSystem({
      agents: [AGENT],
      startLater: ['adapter'],
      extraEnv: { ADAPTER_TIMEOUT_MS: '5000' },
    });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('boots whatever waits in its queue; expired requests are dropped, not answered', async () => {
    await waitUntil('the proxy listening', async () => {
      await fetch(`${system().proxyUrl}/api/docs-json`);
      return true;
    });
    // Health checks while no adapter ever ran on these vhosts: they wait, then expire.
    const checks = await Promise.all(
      Array.from({ length: 5 }, () => system().api('GET', '/api/health/details')),
    );
    expect(checks.map((c) => c.status)).toEqual([503, 503, 503, 503, 503]);

    const connection = await amqp.connect(system().coreAmqpUrl);
    const channel = await connection.createConfirmChannel();
    try {
      const replyQueue = `it.replies.${randomUUID()}`;
      await channel.assertQueue(replyQueue, { exclusive: true });
      const replies = new Map<string, { ok: unknown }>();
      await channel.consume(
        replyQueue,
        (message) => {
          if (message) {
            replies.set(
              String(message.properties.correlationId),
              JSON.parse(String(message.content)),
            );
          }
        },
        { noAck: true },
      );
      const send = (id: string, pattern: string, deadline: number, expiration?: number): void => {
        channel.sendToQueue(ADAPTER_QUEUE, Buffer.from(JSON.stringify({ pattern, request: {} })), {
          messageId: id,
          correlationId: id,
          replyTo: replyQueue,
          contentType: 'application/json',
          headers: { 'x-ruleshift-deadline': deadline },
          ...(expiration === undefined ? {} : { expiration: String(expiration) }),
        });
      };
      // Past their deadline when the adapter sees them, but not expired by the broker.
      const late = ['late-1', 'late-2', 'late-3'];
      for (const id of late) send(id, 'jobs.list', Date.now() + 500);
      const live = ['live-1', 'live-2', 'live-3'];
      for (const id of live) send(id, 'templates.list', Date.now() + 120_000, 120_000);
      await channel.waitForConfirms();
      await new Promise((r) => setTimeout(r, 1_000));

      system().restart('adapter');
      await system().waitForAgents([AGENT]);
      await waitUntil('the live requests answered', async () =>
        live.every((id) => replies.has(id)),
      );
      for (const id of live) expect(replies.get(id)).toMatchObject({ ok: true });
      // Delivered before the live ones, so settled before their replies left.
      expect(late.filter((id) => replies.has(id))).toEqual([]);
      expect(system().logs()).toContain('dropped request late-1');
    } finally {
      await connection.close();
    }
  });
});
