import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

describe('StartJobUseCase', () => {
  let kit: AdapterTestKit;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
  });

  it('starts an installed job on its runtime', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    const started = await kit.useCases.start.execute(info);
    expect(started).toMatchObject({ jobId: info.jobId, jobStatus: 'RUNNING' });
    expect(kit.edge.rule('gw-1', info.jobId)?.status).toBe('RUNNING');
    expect(kit.jobs.historyRows.map((h) => h.status)).toEqual(['INSTALLED', 'RUNNING']);
  });

  it('refuses a running job with 409 on jobStatus', async () => {
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    expect(await errorOf(kit.useCases.start.execute(info))).toMatchObject({
      code: 'CONFLICT',
      errors: [{ field: 'jobStatus', reason: expect.stringContaining('RUNNING') }],
    });
  });

  it('starts a FAILED job again and clears its failure', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    await kit.jobs.updateIdle(info.jobId, { status: 'FAILED', failureReason: 'boom' });
    expect(await kit.useCases.start.execute(info)).toMatchObject({ jobStatus: 'RUNNING' });
    expect(kit.jobs.rows.get(info.jobId)?.failureReason).toBeNull();
  });

  it('answers NotFound for an unknown jobId', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    expect(
      await errorOf(
        kit.useCases.start.execute({ ...info, jobId: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', errors: [{ field: 'jobId' }] });
  });

  it('says the jobInfo is stale when its runtime or jobType does not match', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    expect(await errorOf(kit.useCases.start.execute({ ...info, runtime: 'flink' }))).toMatchObject({
      code: 'CONFLICT',
      errors: [{ field: 'runtime', reason: expect.stringContaining('stale') }],
    });
    expect(
      await errorOf(kit.useCases.start.execute({ ...info, jobType: 'window-join' })),
    ).toMatchObject({
      code: 'CONFLICT',
      errors: [{ field: 'jobType' }],
    });
  });

  it('lets exactly one of two concurrent starts through', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    const results = await Promise.allSettled([
      kit.useCases.start.execute(info),
      kit.useCases.start.execute(info),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as { toJSON(): unknown }).toJSON()).toMatchObject({
      code: 'CONFLICT',
      errors: [{ field: 'jobId', reason: 'another operation is in progress' }],
    });
    expect(kit.edge.calls.filter((c) => c.startsWith('start'))).toHaveLength(1);
  });

  it('releases the job when the runtime fails, so it can be retried', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    kit.edge.refuse.start = 'engine busy';
    expect(await errorOf(kit.useCases.start.execute(info))).toMatchObject({
      code: 'RUNTIME_ERROR',
    });
    expect(kit.jobs.rows.get(info.jobId)).toMatchObject({ status: 'INSTALLED', operation: null });
    delete kit.edge.refuse.start;
    expect(await kit.useCases.start.execute(info)).toMatchObject({ jobStatus: 'RUNNING' });
  });
});
