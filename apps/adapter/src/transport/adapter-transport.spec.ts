import { InMemoryBroker, RpcClient, type BrokerRegistry } from '@ruleshift/broker';
import {
  ADAPTER_QUEUE,
  RuleshiftError,
  type AdapterReply,
  type AdapterRequest,
  type JobInfo,
} from '@ruleshift/contracts';
import type { AdapterModuleOptions } from '../adapter-options';
import type { AccessUseCases } from '../access/access-use-cases';
import type { AgentUseCases } from '../agents/agent-use-cases';
import { AdapterTestKit } from '../testing/adapter-test-kit';
import { AdapterHandlers } from './adapter-handlers';
import { AdapterRequestServer } from './adapter-request-server';
import { InProcessAdapterClient } from './in-process-adapter-client';

const handlersFor = (kit: AdapterTestKit) => {
  const u = kit.useCases;
  return new AdapterHandlers(
    u.install,
    u.uninstall,
    u.start,
    u.stop,
    u.relocate,
    u.listJobs,
    u.getJob,
    u.getJobConfig,
    u.listDeadLetters,
    u.replayDeadLetters,
    u.purgeDeadLetters,
    u.listRuntimes,
    u.listTemplates,
    u.health,
    // API keys and audit have their own spec (access.spec.ts); these tests never call them.
    {} as AccessUseCases,
    // Likewise agents (agents.spec.ts).
    {} as AgentUseCases,

    u.pipelines,
    u.scrapeMetrics,
    kit.metrics,
    u.setPlacement,
    u.placementDecisions,
  );
};

async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('adapter transports', () => {
  let kit: AdapterTestKit;
  let handlers: AdapterHandlers;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    handlers = handlersFor(kit);
  });

  it('in-process client runs the use cases and returns plain JSON', async () => {
    const client = new InProcessAdapterClient(handlers);
    const info = await client.send('rules.install', kit.installation());
    expect(info.jobStatus).toBe('INSTALLED');
    const details = await client.send('jobs.get', { jobId: info.jobId });
    expect(typeof details.createdAt).toBe('string');
    expect(await client.send('templates.list', {})).toHaveLength(3);
  });

  it('in-process client rejects with a RuleshiftError', async () => {
    const client = new InProcessAdapterClient(handlers);
    const err: unknown = await client
      .send('jobs.get', { jobId: 'missing' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleshiftError);
    expect((err as RuleshiftError).code).toBe('NOT_FOUND');
  });

  describe('request server on the core broker', () => {
    let broker: InMemoryBroker;
    let client: RpcClient;
    let server: AdapterRequestServer;

    const serverWith = (options: Partial<AdapterModuleOptions>): AdapterRequestServer => {
      const registry = {
        get: () => Promise.resolve(broker.connect()),
        validateEndpoint: () => undefined,
        closeAll: () => Promise.resolve(),
      } as BrokerRegistry;
      return new AdapterRequestServer(registry, handlers, options as AdapterModuleOptions);
    };
    const call = <T>(envelope: unknown, timeoutMs = 5_000): Promise<T> =>
      client.request<T>('', ADAPTER_QUEUE, envelope, timeoutMs);

    beforeEach(async () => {
      broker = new InMemoryBroker('core');
      await broker.assert({ queues: [{ name: ADAPTER_QUEUE, durable: true }] });
      client = new RpcClient(broker.connect());
      server = serverWith({ requestPrefetch: 2 });
    });
    afterEach(async () => {
      await server.stop();
      await client.close();
      await broker.close();
    });

    it('answers each pattern with { ok: true, result } and errors as their JSON body', async () => {
      await server.start();
      const installed = await call<AdapterReply<'rules.install'>>({
        pattern: 'rules.install',
        request: kit.installation(),
      } satisfies AdapterRequest<'rules.install'>);
      expect(installed).toMatchObject({ ok: true, result: { jobStatus: 'INSTALLED' } });
      const info = (installed as { result: JobInfo }).result;
      await call({ pattern: 'rules.start', request: info });
      await expect(call({ pattern: 'rules.start', request: info })).resolves.toEqual({
        ok: false,
        error: {
          code: 'CONFLICT',
          message: expect.stringContaining('RUNNING'),
          errors: [{ field: 'jobStatus', reason: expect.any(String) }],
        },
      });
    });

    it('never leaks an unexpected error: it leaves as a generic INTERNAL body', async () => {
      jest.spyOn(kit.useCases.listJobs, 'execute').mockRejectedValue(new TypeError('secret'));
      await server.start();
      await expect(call({ pattern: 'jobs.list', request: {} })).resolves.toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: 'internal error in the adapter', errors: [] },
      });
    });

    it('an unknown pattern, a prototype key included, is VALIDATION_FAILED naming pattern', async () => {
      await server.start();
      for (const pattern of ['nope', 'constructor', '__proto__', 42]) {
        await expect(call({ pattern, request: {} })).resolves.toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED', errors: [{ field: 'pattern' }] },
        });
      }
    });

    it('ADAPTER_PREFETCH bounds the requests handled at once', async () => {
      let running = 0;
      let most = 0;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      jest.spyOn(kit.useCases.listJobs, 'execute').mockImplementation(async () => {
        running++;
        most = Math.max(most, running);
        await released;
        running--;
        return { items: [] };
      });
      await server.start();
      const replies = Promise.all(
        Array.from({ length: 6 }, () => call({ pattern: 'jobs.list', request: {} })),
      );
      await until('two requests running', () => running === 2);
      expect(await broker.queueDepth(ADAPTER_QUEUE)).toBe(4);
      release();
      expect(await replies).toHaveLength(6);
      expect(most).toBe(2);
    });

    it('an operation outliving the deadline answers pending with its job and still completes', async () => {
      const info = await handlers.handle('rules.install', kit.installation());
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const start = kit.useCases.start;
      const realStart = start.execute.bind(start);
      let completed = false;
      jest.spyOn(start, 'execute').mockImplementation(async (request) => {
        await released;
        const result = await realStart(request);
        completed = true;
        return result;
      });
      await server.start();
      await expect(call({ pattern: 'rules.start', request: info }, 3_500)).resolves.toMatchObject({
        ok: 'pending',
        pending: { operation: 'rules.start', jobId: info.jobId, requestId: expect.any(String) },
      });
      release();
      await until('start completed', () => completed);
      const details = await handlers.handle('jobs.get', { jobId: info.jobId });
      expect(details.jobStatus).toBe('RUNNING');
    });

    it('a request queued while the adapter was down and expired meanwhile never runs', async () => {
      const install = jest.spyOn(kit.useCases.install, 'execute');
      await expect(
        call({ pattern: 'rules.install', request: kit.installation() }, 100),
      ).rejects.toMatchObject({ code: 'RUNTIME_UNAVAILABLE' });
      await new Promise((r) => setTimeout(r, 150));
      await server.start();
      await expect(call({ pattern: 'jobs.list', request: {} })).resolves.toMatchObject({
        ok: true,
      });
      expect(install).not.toHaveBeenCalled();
    });

    it('stop() takes no new request and lets the running ones answer', async () => {
      await server.start();
      expect(server.isServing).toBe(true);
      await server.stop();
      expect(server.isServing).toBe(false);
      await expect(call({ pattern: 'jobs.list', request: {} }, 2_600)).rejects.toMatchObject({
        code: 'RUNTIME_UNAVAILABLE',
      });
    });
  });
});
