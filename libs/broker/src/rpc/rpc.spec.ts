import { NotFound, RuntimeUnavailable } from '@ruleshift/contracts';
import { InMemoryBroker } from '../in-memory/in-memory-broker';
import { RpcClient } from './rpc-client';
import { RpcServer } from './rpc-server';

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
});
