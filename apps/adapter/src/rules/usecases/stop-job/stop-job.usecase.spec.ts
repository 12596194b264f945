import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

describe('StopJobUseCase', () => {
  let kit: AdapterTestKit;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
  });

  it('stops a running job and keeps the snapshot the runtime returned', async () => {
    const info = await kit.useCases.install.execute(
      kit.installation({ jobType: 'window-aggregation' }),
    );
    await kit.useCases.start.execute(info);
    const stopped = await kit.useCases.stop.execute(info);
    expect(stopped).toMatchObject({ jobStatus: 'STOPPED' });
    expect(kit.edge.rule('gw-1', info.jobId)?.status).toBe('STOPPED');
    expect(kit.jobs.rows.get(info.jobId)?.snapshot).toMatchObject({
      format: 'ruleshift.snapshot/v1',
      jobId: info.jobId,
      state: 1,
    });
  });

  it('refuses a job that is not RUNNING', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    expect(await errorOf(kit.useCases.stop.execute(info))).toMatchObject({
      code: 'CONFLICT',
      errors: [{ field: 'jobStatus', reason: expect.stringContaining('INSTALLED') }],
    });
    expect(kit.edge.calls.filter((c) => c.startsWith('stop'))).toEqual([]);
  });

  it('refuses while another operation holds the job', async () => {
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    const job = kit.jobs.rows.get(info.jobId)!;
    await kit.jobs.claim(job.id, 'move', job.version);
    expect(await errorOf(kit.useCases.stop.execute(info))).toMatchObject({
      code: 'CONFLICT',
      errors: [{ reason: 'another operation is in progress' }],
    });
  });
});
