import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

describe('UninstallJobUseCase', () => {
  let kit: AdapterTestKit;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
  });

  it('uninstalls a running job from its runtime', async () => {
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    expect(await kit.useCases.uninstall.execute(info)).toMatchObject({ jobStatus: 'UNINSTALLED' });
    expect(kit.edge.placementsOf(info.jobId)).toEqual([]);
    expect(kit.jobs.historyRows.map((h) => h.status)).toEqual([
      'INSTALLED',
      'RUNNING',
      'UNINSTALLED',
    ]);
  });

  it('uninstalls a FAILED job', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    await kit.jobs.updateIdle(info.jobId, { status: 'FAILED', failureReason: 'crashed' });
    expect(await kit.useCases.uninstall.execute(info)).toMatchObject({ jobStatus: 'UNINSTALLED' });
  });

  it('refuses an UNINSTALLED job (terminal)', async () => {
    const info = await kit.useCases.uninstall.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    expect(await errorOf(kit.useCases.uninstall.execute(info))).toMatchObject({
      code: 'CONFLICT',
      errors: [{ field: 'jobStatus' }],
    });
  });

  it('reports an unreachable agent as 503 and keeps the job as it was', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    kit.edge.dieAt({ method: 'uninstall', afterEffect: false });
    expect(await errorOf(kit.useCases.uninstall.execute(info))).toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
    });
    expect(kit.jobs.rows.get(info.jobId)).toMatchObject({ status: 'INSTALLED', operation: null });
  });
});
