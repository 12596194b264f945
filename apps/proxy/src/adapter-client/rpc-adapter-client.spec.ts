import { InMemoryBroker, RpcServer } from '@ruleshift/broker';
import {
  ADAPTER_QUEUE,
  NotFound,
  RuleshiftError,
  type AdapterReply,
  type AdapterRequest,
} from '@ruleshift/contracts';
import { jobInfo } from '../testing/paper-objects';
import { RpcAdapterClient } from './rpc-adapter-client';

async function rejection(promise: Promise<unknown>): Promise<RuleshiftError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleshiftError);
  return error as RuleshiftError;
}

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('RpcAdapterClient', () => {
  let broker: InMemoryBroker;
  let adapter: RpcServer;
  let client: RpcAdapterClient;
  let seen: AdapterRequest[];

  const answering = async (reply: (request: AdapterRequest) => AdapterReply): Promise<void> => {
    await broker.assert({ queues: [{ name: ADAPTER_QUEUE, durable: true }] });
    await adapter.serve(ADAPTER_QUEUE, (payload) => {
      seen.push(payload as AdapterRequest);
      return Promise.resolve(reply(payload as AdapterRequest));
    });
  };

  const queueDepth = (): Promise<number> => broker.queueDepth(ADAPTER_QUEUE).catch(() => 0);

  beforeEach(() => {
    broker = new InMemoryBroker('core');
    adapter = new RpcServer(broker.connect());
    client = new RpcAdapterClient(broker.connect(), { timeoutMs: 5_000, maxRequestBytes: 1_000 });
    seen = [];
  });
  afterEach(async () => {
    await client.close();
    await adapter.close();
    await broker.close();
  });

  it('declares the adapter queue, sends { pattern, request } and resolves with the result', async () => {
    const sent = client.send('rules.start', jobInfo());
    // The queue exists before the adapter ever ran: the request waits there for it.
    await until('request queued', async () => (await queueDepth()) === 1);
    await answering(() => ({ ok: true, result: jobInfo({ jobStatus: 'RUNNING' }) }));
    await expect(sent).resolves.toEqual(jobInfo({ jobStatus: 'RUNNING' }));
    expect(seen).toEqual([{ pattern: 'rules.start', request: jobInfo() }]);
  });

  it('rebuilds the RuleshiftError the adapter replied with', async () => {
    const body = new NotFound('jobId', 'no job x').toJSON();
    await answering(() => ({ ok: false, error: body }));
    const error = await rejection(client.send('jobs.get', { jobId: 'x' }));
    expect(error.toJSON()).toEqual(body);
  });

  it('a pending reply is OPERATION_PENDING (HTTP 202) naming the job', async () => {
    await answering(() => ({
      ok: 'pending',
      pending: { operation: 'rules.move', jobId: 'job-1', requestId: 'r' },
    }));
    const error = await rejection(client.send('rules.stop', jobInfo()));
    expect(error.code).toBe('OPERATION_PENDING');
    expect(error.message).toContain('GET /api/jobs/job-1');
  });

  it('no reply is RuntimeUnavailable on adapter saying the request was not started', async () => {
    const slow = new RpcAdapterClient(broker.connect(), { timeoutMs: 50 });
    const error = await rejection(slow.send('health', {}));
    await slow.close();
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect(error.errors[0]).toEqual({
      field: 'adapter',
      reason: 'no reply to health within 50 ms; the request was not started',
    });
  });

  it('a malformed reply is RuntimeUnavailable, never a crash', async () => {
    await answering(() => 'nonsense' as unknown as AdapterReply);
    expect((await rejection(client.send('templates.list', {}))).code).toBe('RUNTIME_UNAVAILABLE');
  });

  it('refuses a request larger than the link carries, naming body, without sending it', async () => {
    await answering(() => ({ ok: true, result: [] }));
    const big = { ...jobInfo(), jobType: 'x'.repeat(2_000) };
    const error = await rejection(client.send('rules.start', big));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors[0].field).toBe('body');
    expect(seen).toEqual([]);
  });
});
