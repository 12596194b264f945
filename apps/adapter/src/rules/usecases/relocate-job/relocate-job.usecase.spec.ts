import { RuntimeUnavailable, type JobInfo } from '@ruleshift/contracts';
import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

describe('RelocateJobUseCase', () => {
  let kit: AdapterTestKit;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    await kit.registerRuntime('edge', 'gw-2');
    await kit.registerRuntime('flink', 'cluster');
  });

  const runningJob = async (jobType = 'window-aggregation'): Promise<JobInfo> =>
    kit.useCases.start.execute(await kit.useCases.install.execute(kit.installation({ jobType })));

  it('moves a running stateful rule with the same config and its state, and keeps it RUNNING', async () => {
    const info = await runningJob();
    const moved = await kit.useCases.relocate.execute({
      target_runtime: 'edge',
      targetResource: 'gw-2',
      jobInfo: info,
    });
    expect(moved).toMatchObject({
      jobId: info.jobId,
      runtime: 'edge',
      targetResource: 'gw-2',
      jobStatus: 'RUNNING',
    });
    expect(kit.edge.placementsOf(info.jobId)).toEqual(['gw-2']);
    const rule = kit.edge.rule('gw-2', info.jobId)!;
    expect(rule.status).toBe('RUNNING');
    expect(rule.config).toEqual(kit.jobs.rows.get(info.jobId)!.config);
    expect(rule.restoredFrom).toMatchObject({ jobId: info.jobId, state: 1 });
    expect(kit.edge.calls.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([
      'install gw-1',
      'start gw-1',
      'stop gw-1',
      'uninstall gw-1',
      'install gw-2',
      'start gw-2',
    ]);
    expect([...kit.moves.rows.values()]).toEqual([
      expect.objectContaining({ state: 'DONE', step: 'STARTING' }),
    ]);
    expect(kit.jobs.rows.get(info.jobId)).toMatchObject({
      operation: null,
      targetResource: 'gw-2',
    });
    expect(kit.jobs.historyRows.at(-1)).toMatchObject({
      status: 'RUNNING',
      targetResource: 'gw-2',
      reason: 'moved from edge/gw-1',
    });
  });

  it('moves a STOPPED rule without starting it and carries the state its stop returned', async () => {
    const info = await kit.useCases.stop.execute(await runningJob());
    const moved = await kit.useCases.relocate.execute({
      target_runtime: 'edge',
      targetResource: 'gw-2',
      jobInfo: info,
    });
    expect(moved.jobStatus).toBe('STOPPED');
    expect(kit.edge.rule('gw-2', info.jobId)).toMatchObject({
      status: 'INSTALLED',
      restoredFrom: { state: 1 },
    });
    expect(kit.edge.calls.some((c) => c.startsWith('start gw-2'))).toBe(false);
  });

  it('refuses to drop window state silently when the target cannot take it', async () => {
    const info = await runningJob();
    expect(
      await errorOf(
        kit.useCases.relocate.execute({
          target_runtime: 'flink',
          targetResource: 'cluster',
          jobInfo: info,
        }),
      ),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'dropState', reason: expect.stringContaining('dropState: true') }],
    });
    expect(kit.edge.rule('gw-1', info.jobId)?.status).toBe('RUNNING');
  });

  it('moves a stateful rule to a runtime that cannot take its state when dropState is set', async () => {
    const info = await runningJob();
    const moved = await kit.useCases.relocate.execute({
      target_runtime: 'flink',
      targetResource: 'cluster',
      jobInfo: info,
      dropState: true,
    });
    expect(moved).toMatchObject({
      runtime: 'flink',
      targetResource: 'cluster',
      jobStatus: 'RUNNING',
    });
    expect(kit.flink.rule('cluster', info.jobId)?.restoredFrom).toBeUndefined();
    expect(kit.edge.placementsOf(info.jobId)).toEqual([]);
    expect(kit.jobs.historyRows.at(-1)?.reason).toContain('window state dropped');
  });

  it('drops the state when dropState is set although the target could take it', async () => {
    const info = await runningJob();
    await kit.useCases.relocate.execute({
      target_runtime: 'edge',
      targetResource: 'gw-2',
      jobInfo: info,
      dropState: true,
    });
    expect(kit.edge.rule('gw-2', info.jobId)?.restoredFrom).toBeUndefined();
    expect(kit.jobs.historyRows.at(-1)?.reason).toContain('window state dropped');
  });

  it('moves a stateless rule across runtimes without asking about state', async () => {
    const info = await runningJob('filter');
    const moved = await kit.useCases.relocate.execute({
      target_runtime: 'flink',
      targetResource: 'cluster',
      jobInfo: info,
    });
    expect(moved).toMatchObject({ runtime: 'flink', jobStatus: 'RUNNING' });
    // A filter has no window state: the source's stop snapshot (offsets only) drops nothing.
    expect(kit.jobs.historyRows.at(-1)?.reason).toBe('moved from edge/gw-1');
    expect([...kit.moves.rows.values()][0]).toMatchObject({ dropsState: false });
  });

  it('rejects a move to where the job already is', async () => {
    const info = await runningJob();
    expect(
      await errorOf(
        kit.useCases.relocate.execute({
          target_runtime: 'edge',
          targetResource: 'gw-1',
          jobInfo: info,
        }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'targetResource' }] });
  });

  it('refuses to move an UNINSTALLED job, naming jobInfo.jobStatus', async () => {
    const info = await kit.useCases.uninstall.execute(await runningJob());
    expect(
      await errorOf(
        kit.useCases.relocate.execute({
          target_runtime: 'edge',
          targetResource: 'gw-2',
          jobInfo: info,
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'jobInfo.jobStatus' }] });
  });

  it('needs a registered, reachable target', async () => {
    const info = await runningJob();
    expect(
      await errorOf(
        kit.useCases.relocate.execute({
          target_runtime: 'edge',
          targetResource: 'gw-9',
          jobInfo: info,
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', errors: [{ field: 'targetResource' }] });
    await kit.registerRuntime('edge', 'gw-3', 'UNREACHABLE');
    expect(
      await errorOf(
        kit.useCases.relocate.execute({
          target_runtime: 'edge',
          targetResource: 'gw-3',
          jobInfo: info,
        }),
      ),
    ).toMatchObject({ code: 'RUNTIME_UNAVAILABLE', errors: [{ field: 'targetResource' }] });
  });

  it('rolls back to the source on the spot when the target refuses the install', async () => {
    const info = await runningJob();
    kit.flink.refuse.install = 'job manager rejected the jar';
    const body = await errorOf(
      kit.useCases.relocate.execute({
        target_runtime: 'flink',
        targetResource: 'cluster',
        jobInfo: info,
        dropState: true,
      }),
    );
    expect(body).toMatchObject({ code: 'RUNTIME_ERROR' });
    expect(kit.edge.placementsOf(info.jobId)).toEqual(['gw-1']);
    expect(kit.flink.placementsOf(info.jobId)).toEqual([]);
    expect(kit.jobs.rows.get(info.jobId)).toMatchObject({
      operation: null,
      runtime: 'edge',
      status: 'RUNNING',
    });
    expect([...kit.moves.rows.values()][0]).toMatchObject({
      state: 'ROLLED_BACK',
      error: 'job manager rejected the jar',
    });
    expect(kit.jobs.historyRows.at(-1)?.reason).toContain('rolled back');
  });

  describe('through a registry outage (PostgreSQL restarting)', () => {
    const connectionLost = (): Error => new Error('Connection terminated unexpectedly');

    /** Lets a use case run, moving the manual clock on while it waits out the outage. */
    const settle = async <T>(work: Promise<T>): Promise<T> => {
      let done = false;
      const result = work.finally(() => (done = true));
      for (let i = 0; i < 200 && !done; i += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        kit.clock.advance(1_000);
      }
      return result;
    };

    it('finishes the move in the same term when the step write fails until the registry is back', async () => {
      const info = await runningJob();
      const update = kit.moves.update.bind(kit.moves);
      let failures = 0;
      jest.spyOn(kit.moves, 'update').mockImplementation((id, patch) => {
        // The write recording that the source was stopped meets a restarting registry.
        if (patch.step === 'UNINSTALLING' && failures < 3) {
          failures += 1;
          return Promise.reject(connectionLost());
        }
        return update(id, patch);
      });
      const moved = await settle(
        kit.useCases.relocate.execute({
          target_runtime: 'edge',
          targetResource: 'gw-2',
          jobInfo: info,
        }),
      );
      expect(moved).toMatchObject({ targetResource: 'gw-2', jobStatus: 'RUNNING' });
      expect(kit.jobs.rows.get(info.jobId)).toMatchObject({ operation: null });
      expect([...kit.moves.rows.values()]).toEqual([expect.objectContaining({ state: 'DONE' })]);
      // A later call needs no new adapter term.
      const back = await kit.useCases.relocate.execute({
        target_runtime: 'edge',
        targetResource: 'gw-1',
        jobInfo: moved,
      });
      expect(back).toMatchObject({ targetResource: 'gw-1', jobStatus: 'RUNNING' });
    });

    it('answers a move that recovery finished forward with success, not with the failure', async () => {
      const info = await runningJob();
      // The target's start fails once (a slow agent); recovery starts it and the move is done.
      jest
        .spyOn(kit.edge, 'start')
        .mockRejectedValueOnce(new RuntimeUnavailable('targetResource', 'no reply from gw-2'));
      const moved = await kit.useCases.relocate.execute({
        target_runtime: 'edge',
        targetResource: 'gw-2',
        jobInfo: info,
      });
      expect(moved).toMatchObject({ targetResource: 'gw-2', jobStatus: 'RUNNING' });
      expect([...kit.moves.rows.values()]).toEqual([expect.objectContaining({ state: 'DONE' })]);
    });

    it('records an install that reached the runtime, though the release first met an outage', async () => {
      const release = kit.jobs.release.bind(kit.jobs);
      let failures = 0;
      jest.spyOn(kit.jobs, 'release').mockImplementation((id, operation, patch) => {
        if (operation === 'install' && failures < 2) {
          failures += 1;
          return Promise.reject(connectionLost());
        }
        return release(id, operation, patch);
      });
      const installed = await settle(kit.useCases.install.execute(kit.installation()));
      expect(installed.jobStatus).toBe('INSTALLED');
      expect(kit.jobs.rows.get(installed.jobId)).toMatchObject({
        operation: null,
        status: 'INSTALLED',
      });
    });
  });
});
