import type { JobInfo, PlacementThresholds } from '@ruleshift/contracts';
import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';
import { RetireStrayRulesUseCase } from '../../../runtimes/usecases/retire-stray-rules/retire-stray-rules.usecase';
import { CandidateFitness } from '../../candidate-fitness';
import { LivePlacementSignalSource } from '../../signals/live-placement-signal-source';
import { SampleWindow } from '../../signals/sample-window';
import { EvaluatePlacementUseCase, KEPT_SAMPLES_MAX_AGE_MS } from './evaluate-placement.usecase';

const INTERVAL = 5_000;
const thresholds: Partial<PlacementThresholds> = {
  samples: 3,
  breaches: 2,
  backlogHigh: 1000,
  backlogLow: 50,
  cooldownMs: 30_000,
  returnRatio: 0.5,
};
const AUTO = {
  mode: 'auto' as const,
  candidates: ['edge/gw-1', 'edge/gw-2'],
  prefer: 'edge/gw-1',
  thresholds,
};

describe('EvaluatePlacementUseCase (the placement service, one round per call)', () => {
  let kit: AdapterTestKit;
  let evaluate: EvaluatePlacementUseCase;
  /** Cumulative events consumed per agent, as its heartbeats report them. */
  const consumed = new Map<string, number>();

  beforeEach(async () => {
    kit = new AdapterTestKit();
    consumed.clear();
    await kit.registerRuntime('edge', 'gw-1');
    await kit.registerRuntime('edge', 'gw-2');
    evaluate = newAdapterService();
  });

  /** The placement service of an adapter (a new one: as after a failover). */
  const newAdapterService = () =>
    new EvaluatePlacementUseCase(
      kit.placements,
      kit.jobs,
      new LivePlacementSignalSource(kit.runtimes, kit.figures, kit.brokers, kit.clock),
      new SampleWindow(),
      new CandidateFitness(kit.catalog, kit.useCases.drivers),
      kit.useCases.mover,
      kit.clock,
    );

  const install = async (placement: unknown = AUTO, jobType = 'filter'): Promise<JobInfo> =>
    kit.useCases.start.execute(
      await kit.useCases.install.execute({
        ...kit.installation({ jobType }),
        placement: placement as never,
      }),
    );

  /** One heartbeat of each agent (its rule consumed `rate` events/s since the last) and a round. */
  const round = async (jobId: string, backlog: number, rate: number) => {
    kit.clock.advance(INTERVAL);
    kit.brokers.depths.set('edge', backlog);
    for (const agent of ['gw-1', 'gw-2']) {
      const total = (consumed.get(agent) ?? 0) + (rate * INTERVAL) / 1000;
      consumed.set(agent, total);
      kit.figures.recordAgent(agent, {
        cpuPercent: 10,
        rssBytes: 1,
        heapUsedBytes: 1,
        sentAt: kit.clock.now().toISOString(),
        rules: [
          {
            jobId,
            jobType: 'filter',
            status: 'RUNNING',
            metrics: { eventsIn: total, eventsOut: total, deadLettered: {} },
          },
        ],
      });
    }
    return evaluate.execute();
  };
  const placementOf = (jobId: string) => kit.jobs.rows.get(jobId)!.targetResource;

  it('moves an overloaded rule to its other candidate, then back once the load dropped', async () => {
    const { jobId } = await install();
    await round(jobId, 2000, 800);
    expect(placementOf(jobId)).toBe('gw-1');
    const [moved] = await round(jobId, 4000, 800);
    expect(moved).toMatchObject({
      action: 'move',
      kind: 'overload',
      fromPlacement: 'edge/gw-1',
      toPlacement: 'edge/gw-2',
      outcome: 'done',
      capacityPerS: 800,
    });
    expect(placementOf(jobId)).toBe('gw-2');
    expect(kit.jobs.historyRows.at(-1)?.reason).toMatch(
      /^moved from edge\/gw-1 \(placement policy, overload: 2 of the last 2 samples overloaded/,
    );
    expect(kit.events.events.at(-1)).toMatchObject({
      event: 'moved',
      targetResource: 'gw-2',
      reason: expect.stringMatching(/^placement policy, overload/),
    });

    // Quiet but still above half of what gw-1 managed: it stays (no flapping).
    for (let i = 0; i < 8; i++) await round(jobId, 0, 500);
    expect(placementOf(jobId)).toBe('gw-2');
    // The load drops below returnRatio x 800/s: back to gw-1 after samples x interval.
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(...(await round(jobId, 0, 100)));
    expect(decisions.filter((d) => d.action === 'move')).toEqual([
      expect.objectContaining({ kind: 'return', toPlacement: 'edge/gw-1', outcome: 'done' }),
    ]);
    expect(placementOf(jobId)).toBe('gw-1');
    const page = await kit.useCases.placementDecisions.execute({ jobId });
    expect(page.decisions.filter((d) => d.action === 'move').map((d) => d.kind)).toEqual([
      'return',
      'overload',
    ]);
  });

  it("a policy's dropState only permits a drop: between live runtimes the window state moves with the rule", async () => {
    const { jobId } = await install({ ...AUTO, dropState: true }, 'window-aggregation');
    await round(jobId, 2000, 800);
    await round(jobId, 4000, 800);
    expect(placementOf(jobId)).toBe('gw-2');
    expect(kit.edge.rule('gw-2', jobId)?.restoredFrom).toBeDefined();
    expect(kit.jobs.historyRows.at(-1)?.reason).not.toContain('window state dropped');
  });

  it('an adapter taking over goes on from the samples the previous one kept, if recent', async () => {
    const { jobId } = await install();
    await round(jobId, 4000, 800);
    expect(kit.placements.policies.get(jobId)?.samples?.samples).toHaveLength(1);
    // Failover: a new adapter, its sample window empty, 2 hot samples of 3 needed.
    evaluate = newAdapterService();
    const [moved] = await round(jobId, 5000, 800);
    expect(moved).toMatchObject({
      action: 'move',
      toPlacement: 'edge/gw-2',
      reason: expect.stringMatching(/^2 of the last 2 samples overloaded/),
      // The rate comes from the kept reading and the new one.
      signals: expect.objectContaining({ backlogGrowthPerS: 200, eventsInPerS: 800 }),
    });

    // Samples kept longer ago than KEPT_SAMPLES_MAX_AGE_MS say nothing about the rule now.
    const other = await install();
    await round(other.jobId, 4000, 800);
    kit.clock.advance(KEPT_SAMPLES_MAX_AGE_MS);
    evaluate = newAdapterService();
    const [fresh] = await round(other.jobId, 5000, 800);
    expect(fresh).toMatchObject({
      action: 'stay',
      reason: expect.stringMatching(/^1 of the last 1 samples overloaded, 2 needed/),
    });
  });

  it('a registry that refuses the kept samples does not stop the decision: the rule still moves', async () => {
    const { jobId } = await install();
    jest.spyOn(kit.placements, 'saveSamples').mockRejectedValue(new Error('registry down'));
    await round(jobId, 2000, 800);
    const [moved] = await round(jobId, 4000, 800);
    expect(moved).toMatchObject({ action: 'move', toPlacement: 'edge/gw-2', outcome: 'done' });
    expect(placementOf(jobId)).toBe('gw-2');
  });

  it('dryRun records the move it would make, once per cooldown, and never moves', async () => {
    const { jobId } = await install({ ...AUTO, dryRun: true });
    const recorded = [];
    for (let i = 0; i < 8; i++) recorded.push(...(await round(jobId, 5000, 800)));
    expect(placementOf(jobId)).toBe('gw-1');
    expect(kit.edge.calls.filter((c) => c.includes('gw-2'))).toEqual([]);
    // A move from the 2nd round on; recorded then and again once the 30 s cooldown passed.
    expect(recorded.filter((d) => d.action === 'move')).toEqual([
      expect.objectContaining({
        action: 'move',
        dryRun: true,
        toPlacement: 'edge/gw-2',
        outcome: null,
      }),
      expect.objectContaining({
        action: 'move',
        dryRun: true,
        toPlacement: 'edge/gw-2',
        outcome: null,
      }),
    ]);
    const [first, second] = recorded.filter((d) => d.action === 'move');
    expect(second.at.getTime() - first.at.getTime()).toBe(30_000);
  });

  it('records a close non-decision with its signals, and never touches a job an operation holds', async () => {
    const { jobId } = await install();
    await round(jobId, 0, 100);
    const [close] = await round(jobId, 5000, 100);
    expect(close).toMatchObject({
      action: 'stay',
      kind: 'hold',
      reason: expect.stringMatching(/1 of the last 2 samples overloaded, 2 needed/),
      signals: expect.objectContaining({ backlog: 5000, health: 'UP', inputConsumers: 0 }),
    });
    await kit.jobs.claim(jobId, 'stop', kit.jobs.rows.get(jobId)!.version);
    for (let i = 0; i < 4; i++) expect(await round(jobId, 5000, 100)).toEqual([]);
    expect(placementOf(jobId)).toBe('gw-1');
  });

  it("an operator's move pauses the policy for its cooldown", async () => {
    const info = await install();
    await kit.useCases.relocate.execute({
      target_runtime: 'edge',
      targetResource: 'gw-2',
      jobInfo: info,
    });
    expect(kit.placements.policies.get(info.jobId)?.pausedUntil?.getTime()).toBe(
      kit.clock.now().getTime() + 30_000,
    );
    const quiet = [];
    for (let i = 0; i < 3; i++) quiet.push(...(await round(info.jobId, 0, 10)));
    expect(placementOf(info.jobId)).toBe('gw-2');
    expect(quiet.at(-1)?.reason).toMatch(/an operator moved the rule: the policy is paused/);
    for (let i = 0; i < 4; i++) await round(info.jobId, 0, 10);
    expect(placementOf(info.jobId)).toBe('gw-1');
  });

  it('evacuates a lost agent without touching it; an agent still consuming stays', async () => {
    const { jobId } = await install();
    kit.brokers.consumers.set('edge', 1);
    await kit.registerRuntime('edge', 'gw-1', 'UNREACHABLE');
    for (let i = 0; i < 3; i++) await round(jobId, 10, 0);
    expect(placementOf(jobId)).toBe('gw-1');
    const [stayed] = await kit.useCases.placementDecisions
      .execute({ jobId, limit: 1 })
      .then((p) => p.decisions);
    expect(stayed.reason).toMatch(/only the core link is lost/);

    kit.brokers.consumers.set('edge', 0);
    const callsBefore = kit.edge.calls.length;
    const decisions = [];
    for (let i = 0; i < 2; i++) decisions.push(...(await round(jobId, 10, 0)));
    expect(decisions.at(-1)).toMatchObject({ kind: 'evacuate', outcome: 'done' });
    expect(placementOf(jobId)).toBe('gw-2');
    expect(
      kit.edge.calls.slice(callsBefore).map((c) => c.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['install gw-2', 'start gw-2']);
    expect(kit.jobs.rows.get(jobId)!.status).toBe('RUNNING');

    // gw-1 comes back with the rule on its disk: its first heartbeat has it uninstalled there.
    const retire = new RetireStrayRulesUseCase(kit.jobs, kit.useCases.drivers);
    const rule = { jobId, jobType: 'filter', status: 'RUNNING' as const };
    const metrics = { eventsIn: 0, eventsOut: 0, deadLettered: {} };
    expect(kit.edge.placementsOf(jobId)).toEqual(['gw-1', 'gw-2']);
    expect(await retire.execute({ agentId: 'gw-2', rules: [{ ...rule, metrics }] })).toEqual([]);
    expect(await retire.execute({ agentId: 'gw-1', rules: [{ ...rule, metrics }] })).toEqual([
      jobId,
    ]);
    expect(kit.edge.placementsOf(jobId)).toEqual(['gw-2']);
  });

  it('a failed move is recorded, and its target avoided while another is tried', async () => {
    await kit.registerRuntime('flink', 'cluster');
    const { jobId } = await install({
      ...AUTO,
      candidates: ['edge/gw-1', 'flink/cluster', 'edge/gw-2'],
    });
    kit.flink.refuse.install = 'no slot for it';
    const failed = [];
    for (let i = 0; i < 2; i++) failed.push(...(await round(jobId, 5000, 800)));
    expect(failed.at(-1)).toMatchObject({
      toPlacement: 'flink/cluster',
      outcome: expect.stringMatching(/^failed: .*no slot for it/),
    });
    expect(placementOf(jobId)).toBe('gw-1');
    expect(kit.jobs.rows.get(jobId)).toMatchObject({ status: 'RUNNING', operation: null });
    // Still overloaded next round: flink is avoided for failedTargetAvoidMs, gw-2 is tried.
    const [next] = await round(jobId, 5000, 800);
    expect(next).toMatchObject({ toPlacement: 'edge/gw-2', outcome: 'done' });
    expect(placementOf(jobId)).toBe('gw-2');
  });

  it("reads Flink's free slots and a Flink rule's rates and backpressure: no slot, no move; a saturated job moves on", async () => {
    await kit.registerRuntime('flink', 'cluster', 'UP', { slotsAvailable: 0, slotsTotal: 4 });
    const { jobId } = await install({
      ...AUTO,
      candidates: ['edge/gw-1', 'flink/cluster', 'edge/gw-2'],
      thresholds: { ...thresholds, backpressureHigh: 0.8 },
    });
    await kit.registerRuntime('edge', 'gw-2', 'UNREACHABLE');
    await round(jobId, 5000, 800);
    const [full] = await round(jobId, 5000, 800);
    expect(full).toMatchObject({
      action: 'stay',
      reason: expect.stringMatching(/flink\/cluster has no free slot/),
    });
    expect(placementOf(jobId)).toBe('gw-1');

    await kit.registerRuntime('flink', 'cluster', 'UP', { slotsAvailable: 2, slotsTotal: 4 });
    const [moved] = await round(jobId, 5000, 800);
    expect(moved).toMatchObject({ toPlacement: 'flink/cluster', outcome: 'done' });
    expect(kit.jobs.rows.get(jobId)!.runtime).toBe('flink');

    // On Flink: the monitor's figures every round, its job saturated (busy 95% of the time).
    kit.clock.advance(40_000);
    const flinkRound = async (eventsIn: number, backpressure: number) => {
      kit.clock.advance(INTERVAL);
      kit.brokers.depths.set('edge', 0);
      kit.figures.recordFlinkRule('cluster', jobId, {
        metrics: { eventsIn, eventsOut: eventsIn, deadLettered: {} },
        at: kit.clock.now(),
        backpressure,
      });
      return evaluate.execute();
    };
    await flinkRound(0, 0.5);
    const [saturated] = await flinkRound(15_000, 0.95);
    expect(saturated).toMatchObject({
      action: 'stay',
      signals: expect.objectContaining({ backpressure: 0.95, eventsInPerS: 3000, freeSlots: 2 }),
      reason: expect.stringMatching(/1 of the last 2 samples overloaded, 2 needed/),
    });
    const [overloaded] = await flinkRound(30_000, 0.95);
    expect(overloaded).toMatchObject({
      kind: 'overload',
      fromPlacement: 'flink/cluster',
      toPlacement: 'edge/gw-1',
      outcome: 'done',
      reason: expect.stringMatching(/backpressure 0.95 >= 0.8/),
    });
  });

  it('install and PUT placement check the policy against the rule, naming each field', async () => {
    const bad = await errorOf(
      kit.useCases.install.execute({
        ...kit.installation({ jobType: 'edge-only' }),
        placement: { mode: 'auto', candidates: ['edge/gw-2', 'flink/cluster'] },
      }),
    );
    expect(bad).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'placement.candidates[1]', reason: 'template edge-only does not run on flink' },
        { field: 'placement.candidates', reason: "must include the rule's placement edge/gw-1" },
      ],
    });
    const info = await install({ mode: 'manual' });
    expect(
      await errorOf(
        kit.useCases.setPlacement.execute({
          jobId: info.jobId,
          placement: {
            mode: 'auto',
            candidates: ['edge/gw-1'],
            thresholds: { samples: 2, breaches: 3 },
          },
        }),
      ),
    ).toMatchObject({
      errors: [
        { field: 'candidates', reason: expect.any(String) },
        { field: 'thresholds.breaches', reason: 'must not exceed samples' },
      ],
    });
    expect(await kit.useCases.setPlacement.execute({ jobId: info.jobId, placement: AUTO })).toEqual(
      AUTO,
    );
    const details = await kit.useCases.getJob.execute({ jobId: info.jobId });
    expect(details.placement).toEqual(AUTO);
  });
});
