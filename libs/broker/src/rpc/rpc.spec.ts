import { NotFound, RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import type { Delivery } from '../broker-port';
import { InMemoryBroker } from '../in-memory/in-memory-broker';
import { encodeJson } from '../json';
import { RpcClient } from './rpc-client';
import { DEADLINE_HEADER } from './rpc-envelope';
import { RpcServer } from './rpc-server';

/** A promise and its resolve, to hold a handler until the test lets it go. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('RPC over the in-memory broker', () => {
  let broker: InMemoryBroker;
  let client: RpcClient;
  let server: RpcServer;

  beforeEach(async () => {
    broker = new InMemoryBroker('core');
    await broker.assert({
      exchanges: [{ name: 'ctl', type: 'direct' }],
      queues: [{ name: 'agent.a' }],
      bindings: [{ queue: 'agent.a', exchange: 'ctl', routingKey: 'agent.a' }],
    });
    client = new RpcClient(broker.connect());
    server = new RpcServer(broker.connect());
  });
  afterEach(async () => {
    await client.close();
    await server.close();
    await broker.close();
  });

  it('round-trips a request to the handler and its reply, and acks the request', async () => {
    const seen: unknown[] = [];
    await server.serve('agent.a', (payload) => {
      seen.push(payload);
      return Promise.resolve({ ok: true, echo: payload });
    });
    const replies = await Promise.all([
      client.request<{ echo: unknown }>('ctl', 'agent.a', { n: 1 }, 2000),
      client.request<{ echo: unknown }>('ctl', 'agent.a', { n: 2 }, 2000),
    ]);
    expect(replies.map((r) => r.echo)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(seen).toHaveLength(2);
    expect(await broker.queueDepth('agent.a')).toBe(0);
  });

  it('replies ok:false with the error code when the handler throws', async () => {
    await server.serve('agent.a', () => Promise.reject(new NotFound('jobId', 'no such rule')));
    await expect(client.request('ctl', 'agent.a', {}, 2000)).resolves.toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'jobId: no such rule',
        errors: [{ field: 'jobId', reason: 'no such rule' }],
      },
    });
    await server.serve('agent.a', () => Promise.reject(new Error('boom')));
  });

  it('rejects with RuntimeUnavailable naming the target when nobody answers', async () => {
    const failure = client.request('ctl', 'agent.a', { n: 1 }, 50);
    await expect(failure).rejects.toBeInstanceOf(RuntimeUnavailable);
    await expect(failure).rejects.toThrow('ctl/agent.a');
  });

  it('rejects with RuntimeUnavailable when the exchange does not exist', async () => {
    await expect(client.request('missing', 'x', {}, 1000)).rejects.toBeInstanceOf(
      RuntimeUnavailable,
    );
  });

  it('removes its reply queue when closed', async () => {
    await server.serve('agent.a', () => Promise.resolve('pong'));
    await expect(client.request('ctl', 'agent.a', 'ping', 1000)).resolves.toBe('pong');
    const replyQueue = (client as unknown as { replyQueue: string }).replyQueue;
    await client.close();
    await expect(broker.queueDepth(replyQueue)).rejects.toMatchObject({ replyCode: 404 });
  });

  it('sends the envelope: request id as message and correlation id, deadline header, expiration', async () => {
    const seen: Delivery[] = [];
    await server.serve('agent.a', (_payload, context) => {
      seen.push(context.delivery);
      return Promise.resolve('pong');
    });
    const before = Date.now();
    await client.request('ctl', 'agent.a', 'ping', 10_000, { requestId: 'req-1' });
    expect(seen[0].messageId).toBe('req-1');
    expect(seen[0].correlationId).toBe('req-1');
    const deadline = seen[0].headers[DEADLINE_HEADER] as number;
    expect(deadline).toBeGreaterThanOrEqual(before + 10_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 10_000);
  });

  it('a request sent while nobody serves expires unread: a server started later never runs it', async () => {
    const ran: unknown[] = [];
    await expect(client.request('ctl', 'agent.a', { n: 'ghost' }, 50)).rejects.toBeInstanceOf(
      RuntimeUnavailable,
    );
    await new Promise((r) => setTimeout(r, 60));
    await server.serve('agent.a', (payload) => {
      ran.push(payload);
      return Promise.resolve('ok');
    });
    // The sentinel is answered after anything that was queued before it.
    await expect(client.request('ctl', 'agent.a', { n: 'sentinel' }, 5_000)).resolves.toBe('ok');
    expect(ran).toEqual([{ n: 'sentinel' }]);
  });

  it('drops (acks, counts, never answers) a request whose deadline passed or is too close', async () => {
    const ran: unknown[] = [];
    const dropped: string[] = [];
    await server.serve(
      'agent.a',
      (payload) => {
        ran.push(payload);
        return Promise.resolve('ok');
      },
      { startMarginMs: 1_000, onDropped: (_reason, context) => dropped.push(context.requestId!) },
    );
    const session = broker.connect();
    await session.publish('ctl', 'agent.a', encodeJson('late'), {
      messageId: 'late',
      headers: { [DEADLINE_HEADER]: Date.now() + 200 },
    });
    await client.request('ctl', 'agent.a', 'sentinel', 5_000);
    expect(ran).toEqual(['sentinel']);
    expect(dropped).toEqual(['late']);
    expect(server.stats.dropped).toBe(1);
    expect(await broker.queueDepth('agent.a')).toBe(0);
  });

  it('prefetch bounds the handlers running at once; a request is acked only when handled', async () => {
    const held = gate();
    let running = 0;
    let most = 0;
    await server.serve(
      'agent.a',
      async (payload) => {
        running++;
        most = Math.max(most, running);
        await held.opened;
        running--;
        return payload;
      },
      { prefetch: 2 },
    );
    const replies = Promise.all(
      [1, 2, 3, 4, 5].map((n) => client.request('ctl', 'agent.a', n, 5_000)),
    );
    await until('two handlers running', () => running === 2);
    expect(await broker.queueDepth('agent.a')).toBe(3);
    held.open();
    await expect(replies).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('runs a redelivered request once: the second delivery joins the first run and gets its reply', async () => {
    const held = gate();
    let runs = 0;
    await server.serve(
      'agent.a',
      async () => {
        runs++;
        await held.opened;
        return 'done';
      },
      { prefetch: 4 },
    );
    const replies: unknown[] = [];
    const replyTo = 'replies';
    const session = broker.connect();
    await session.assert({ queues: [{ name: replyTo }] });
    await session.consume(replyTo, (d) => replies.push(JSON.parse(d.body.toString())), {
      prefetch: 10,
    });
    for (let i = 0; i < 2; i++) {
      await session.publish('ctl', 'agent.a', encodeJson('x'), {
        messageId: 'same',
        correlationId: 'same',
        replyTo,
        headers: { [DEADLINE_HEADER]: Date.now() + 10_000 },
      });
    }
    await until('both deliveries taken', async () => (await broker.queueDepth('agent.a')) === 0);
    held.open();
    await until('two replies', () => replies.length === 2);
    expect(replies).toEqual(['done', 'done']);
    expect(runs).toBe(1);
    expect(server.stats.duplicates).toBe(1);
  });

  it('answers the interim reply when the handler outlives the deadline, and acks when it ends', async () => {
    const held = gate();
    let finished = false;
    await server.serve(
      'agent.a',
      async () => {
        await held.opened;
        finished = true;
        return 'final';
      },
      {
        startMarginMs: 100,
        replyMarginMs: 200,
        interimReply: (payload, context) => ({ pending: payload, requestId: context.requestId }),
      },
    );
    await expect(
      client.request('ctl', 'agent.a', 'slow', 600, { requestId: 'r-slow' }),
    ).resolves.toEqual({ pending: 'slow', requestId: 'r-slow' });
    expect(finished).toBe(false);
    expect(server.stats.running).toBe(1);
    held.open();
    await until('handler ended', () => finished);
    // Settled once the handler ended: closing returns nothing to the queue.
    await server.close();
    expect(await broker.queueDepth('agent.a')).toBe(0);
  });

  it('refuses a request larger than maxRequestBytes before it reaches the broker', async () => {
    const small = new RpcClient(broker.connect(), { maxRequestBytes: 100 });
    await expect(small.request('ctl', 'agent.a', 'x'.repeat(200), 1_000)).rejects.toBeInstanceOf(
      ValidationFailed,
    );
    await small.close();
  });

  it('answers a request that is not JSON or too large with VALIDATION_FAILED and keeps serving', async () => {
    await server.serve('agent.a', (payload) => Promise.resolve(payload), { maxRequestBytes: 50 });
    const replies: unknown[] = [];
    const session = broker.connect();
    await session.assert({ queues: [{ name: 'replies' }] });
    await session.consume('replies', (d) => replies.push(JSON.parse(d.body.toString())), {
      prefetch: 10,
    });
    await session.publish('ctl', 'agent.a', Buffer.from('{not json'), { replyTo: 'replies' });
    await session.publish('ctl', 'agent.a', encodeJson('y'.repeat(100)), { replyTo: 'replies' });
    await until('two replies', () => replies.length === 2);
    expect(replies).toEqual([
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      }),
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      }),
    ]);
    await expect(client.request('ctl', 'agent.a', 'ok', 2_000)).resolves.toBe('ok');
  });

  it('close() lets a running handler answer before it stops', async () => {
    const held = gate();
    let entered = false;
    await server.serve('agent.a', async () => {
      entered = true;
      await held.opened;
      return 'answered';
    });
    const reply = client.request('ctl', 'agent.a', 'x', 5_000);
    await until('request taken', () => entered);
    const closed = server.close();
    held.open();
    await closed;
    await expect(reply).resolves.toBe('answered');
  });
});
