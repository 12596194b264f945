import { RpcException } from '@nestjs/microservices';
import { RuleshiftError } from '@ruleshift/contracts';
import type { AccessUseCases } from '../access/access-use-cases';
import { AdapterHandlers } from './adapter-handlers';
import { AdapterMessageController } from './adapter-message.controller';
import { InProcessAdapterClient } from './in-process-adapter-client';
import { AdapterTestKit } from '../testing/adapter-test-kit';

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
    u.listRuntimes,
    u.listTemplates,
    u.health,
    // API keys and audit have their own spec (access.spec.ts); these tests never call them.
    {} as AccessUseCases,
  );
};

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

  it('message controller answers each pattern and sends errors as their JSON body', async () => {
    const controller = new AdapterMessageController(handlers);
    const info = await controller.install(kit.installation());
    expect((await controller.start(info)).jobStatus).toBe('RUNNING');
    const err: unknown = await controller.start(info).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcException);
    expect((err as RpcException).getError()).toEqual({
      code: 'CONFLICT',
      message: expect.stringContaining('RUNNING'),
      errors: [{ field: 'jobStatus', reason: expect.any(String) }],
    });
  });

  it('never leaks an unexpected error: it leaves as a generic INTERNAL body', async () => {
    jest.spyOn(kit.useCases.listJobs, 'execute').mockRejectedValue(new TypeError('secret stack'));
    const controller = new AdapterMessageController(handlers);
    const err = (await controller.listJobs({}).catch((e: unknown) => e)) as RpcException;
    expect(err.getError()).toEqual({
      code: 'INTERNAL',
      message: 'internal error in the adapter',
      errors: [],
    });
  });
});
