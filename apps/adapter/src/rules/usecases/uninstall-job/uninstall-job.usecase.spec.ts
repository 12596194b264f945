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

  describe('queues the rule owned', () => {
    const dlq = (jobId: string) => [`edge/ruleshift.dlq.${jobId}`, `core/ruleshift.dlq.${jobId}`];

    it('deletes its input queue and its dead-letter queue on every broker it touched', async () => {
      const info = await kit.useCases.install.execute(kit.installation());
      await kit.useCases.uninstall.execute(info);
      expect(kit.topology.deleted).toEqual(['edge/filter-in', ...dlq(info.jobId)]);
    });

    it('keeps an input queue another live job reads, and deletes it with the last reader', async () => {
      const first = await kit.useCases.install.execute(kit.installation());
      const second = await kit.useCases.install.execute(kit.installation());
      await kit.useCases.uninstall.execute(first);
      expect(kit.topology.deleted).toEqual(dlq(first.jobId));
      await kit.useCases.uninstall.execute(second);
      expect(kit.topology.deleted).toEqual([
        ...dlq(first.jobId),
        'edge/filter-in',
        ...dlq(second.jobId),
      ]);
    });

    it('keeps the input queue when the caller asks (keepInputQueue)', async () => {
      const info = await kit.useCases.install.execute(kit.installation());
      await kit.useCases.uninstall.execute({ ...info, keepInputQueue: true });
      expect(kit.topology.deleted).toEqual(dlq(info.jobId));
    });

    it('answers 503 when the broker refuses, and keeps the job as it was for a retry', async () => {
      const info = await kit.useCases.install.execute(kit.installation());
      kit.topology.failure = new Error('connection refused');
      expect(await errorOf(kit.useCases.uninstall.execute(info))).toMatchObject({
        code: 'RUNTIME_UNAVAILABLE',
        errors: [{ field: 'broker' }],
      });
      expect(kit.jobs.rows.get(info.jobId)).toMatchObject({ status: 'INSTALLED', operation: null });
      kit.topology.failure = null;
      expect(await kit.useCases.uninstall.execute(info)).toMatchObject({
        jobStatus: 'UNINSTALLED',
      });
    });

    it('fixes the dead-letter bound in the rule config at install', async () => {
      const info = await kit.useCases.install.execute(kit.installation());
      expect(kit.jobs.rows.get(info.jobId)?.config.deadLetterQueue).toEqual({ maxLength: 100 });
      kit.drops.counts.set(info.jobId, 7);
      expect(await kit.useCases.getJob.execute({ jobId: info.jobId })).toMatchObject({
        deadLetterQueue: { maxLength: 100, dropped: 7 },
      });
    });
  });
});
