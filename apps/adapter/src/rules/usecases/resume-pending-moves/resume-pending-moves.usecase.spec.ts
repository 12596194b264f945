import type { JobInfo } from '@ruleshift/contracts';
import type { DeathPlan } from '../../../testing/fake-runtime-driver';
import { AdapterTestKit } from '../../../testing/adapter-test-kit';

type Scenario = {
  step: string;
  death: DeathPlan;
  /** Where the rule must end up once a new adapter resumed the move. */
  endsOn: 'gw-1' | 'gw-2';
  state: 'ROLLED_BACK' | 'DONE';
};

const scenarios: Scenario[] = [
  {
    step: 'STOPPING',
    death: { method: 'stop', afterEffect: false },
    endsOn: 'gw-1',
    state: 'ROLLED_BACK',
  },
  {
    step: 'STOPPING',
    death: { method: 'stop', afterEffect: true },
    endsOn: 'gw-1',
    state: 'ROLLED_BACK',
  },
  {
    step: 'UNINSTALLING',
    death: { method: 'uninstall', afterEffect: false },
    endsOn: 'gw-1',
    state: 'ROLLED_BACK',
  },
  {
    step: 'UNINSTALLING',
    death: { method: 'uninstall', afterEffect: true },
    endsOn: 'gw-1',
    state: 'ROLLED_BACK',
  },
  {
    step: 'INSTALLING',
    death: { method: 'install', targetResource: 'gw-2', afterEffect: false },
    endsOn: 'gw-2',
    state: 'DONE',
  },
  {
    step: 'INSTALLING',
    death: { method: 'install', targetResource: 'gw-2', afterEffect: true },
    endsOn: 'gw-2',
    state: 'DONE',
  },
  {
    step: 'STARTING',
    death: { method: 'start', targetResource: 'gw-2', afterEffect: false },
    endsOn: 'gw-2',
    state: 'DONE',
  },
  {
    step: 'STARTING',
    death: { method: 'start', targetResource: 'gw-2', afterEffect: true },
    endsOn: 'gw-2',
    state: 'DONE',
  },
];

describe('ResumePendingMovesUseCase', () => {
  let kit: AdapterTestKit;
  let info: JobInfo;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    await kit.registerRuntime('edge', 'gw-2');
    info = await kit.useCases.install.execute(kit.installation({ jobType: 'window-aggregation' }));
    info = await kit.useCases.start.execute(info);
  });

  it.each(scenarios)(
    'the runtime dies at $step (after effect: $death.afterEffect): a new adapter ends the move on $endsOn',
    async ({ step, death, endsOn, state }) => {
      kit.edge.dieAt(death);
      await expect(
        kit.useCases.relocate.execute({
          target_runtime: 'edge',
          targetResource: 'gw-2',
          jobInfo: info,
        }),
      ).rejects.toMatchObject({ code: 'RUNTIME_UNAVAILABLE' });

      // Recovery could not reach the runtime either: the move waits, the job stays held.
      const [pending] = [...kit.moves.rows.values()];
      expect(pending).toMatchObject({ state: 'IN_PROGRESS', step });
      expect(kit.jobs.rows.get(info.jobId)?.operation).toBe('move');

      kit.edge.revive();
      const report = await kit.restart().resume.execute();

      expect(report.moves).toEqual([{ id: pending.id, jobId: info.jobId, state }]);
      expect(kit.edge.placementsOf(info.jobId)).toEqual([endsOn]);
      const rule = kit.edge.rule(endsOn, info.jobId)!;
      expect(rule.status).toBe('RUNNING');
      expect(rule.config.jobId).toBe(info.jobId);
      expect(kit.jobs.rows.get(info.jobId)).toMatchObject({
        operation: null,
        status: 'RUNNING',
        runtime: 'edge',
        targetResource: endsOn,
      });
      if (state === 'DONE') expect(rule.restoredFrom).toMatchObject({ state: 1 });
    },
  );

  it('retries at the next boot when the runtime is still down', async () => {
    kit.edge.dieAt({ method: 'install', targetResource: 'gw-2', afterEffect: false });
    await expect(
      kit.useCases.relocate.execute({
        target_runtime: 'edge',
        targetResource: 'gw-2',
        jobInfo: info,
      }),
    ).rejects.toThrow();
    const first = await kit.restart().resume.execute();
    expect(first.moves[0].state).toBe('IN_PROGRESS');
    expect([...kit.moves.rows.values()][0].error).toContain('down');

    kit.edge.revive();
    const second = await kit.restart().resume.execute();
    expect(second.moves[0].state).toBe('DONE');
    expect(kit.edge.placementsOf(info.jobId)).toEqual(['gw-2']);
  });

  it('shows the unfinished move on the job meanwhile', async () => {
    kit.edge.dieAt({ method: 'uninstall', afterEffect: false });
    await expect(
      kit.useCases.relocate.execute({
        target_runtime: 'edge',
        targetResource: 'gw-2',
        jobInfo: info,
      }),
    ).rejects.toThrow();
    expect((await kit.useCases.getJob.execute({ jobId: info.jobId })).pendingMove).toMatchObject({
      step: 'UNINSTALLING',
      targetRuntime: 'edge',
      targetResource: 'gw-2',
    });
  });

  it('releases jobs a crashed start left held, and marks an interrupted install UNINSTALLED', async () => {
    const job = kit.jobs.rows.get(info.jobId)!;
    await kit.jobs.claim(job.id, 'stop', job.version);
    const other = await kit.useCases.install.execute(kit.installation());
    const otherRow = kit.jobs.rows.get(other.jobId)!;
    otherRow.operation = 'install';

    const report = await kit.restart().resume.execute();
    expect(report.releasedJobs.sort()).toEqual([info.jobId, other.jobId].sort());
    expect(kit.jobs.rows.get(info.jobId)).toMatchObject({ operation: null, status: 'RUNNING' });
    expect(kit.jobs.rows.get(other.jobId)).toMatchObject({
      operation: null,
      status: 'UNINSTALLED',
      failureReason: expect.stringContaining('the adapter running the install stopped'),
    });
    expect(kit.edge.placementsOf(other.jobId)).toEqual([]);
  });

  it('never touches an operation of the live term (its own, still running)', async () => {
    const job = kit.jobs.rows.get(info.jobId)!;
    await kit.jobs.claim(job.id, 'stop', job.version);

    // The same term running recovery (a duty restarted): nothing of its own is adopted.
    const report = await kit.useCases.resume.execute();
    expect(report).toEqual({ moves: [], releasedJobs: [] });
    expect(kit.jobs.rows.get(info.jobId)).toMatchObject({ operation: 'stop' });
  });
});
