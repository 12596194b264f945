/**
 * Chaos: the active adapter is SIGKILLed in each step of a move (STOPPING, UNINSTALLING,
 * INSTALLING, STARTING) of a running filter, for edge -> edge, edge -> Flink and Flink -> edge,
 * with a standby adapter on the same registry. The standby must finish or roll back each move
 * on its own (the killed adapter is started again, as the next standby, only once the move
 * ended); the job ends on exactly one runtime; every event is filtered.
 */
import { ADAPTER_QUEUE } from '@ruleshift/contracts';
import { liveFlinkJobsOf } from '../integration/support/flink';
import { jobInfoOf } from '../integration/support/flink-rules';
import { waitUntil } from '../integration/support/system';
import { type ChaosRule, ChaosRun, expectExact } from './support/chaos-system';
import { consumersOf } from './support/faults';
import { RegistryProbe } from './support/registry';

interface Leg {
  runtime: 'edge' | 'flink';
  target: string;
}
const TO_GW2: Leg = { runtime: 'edge', target: 'gw2' };
const TO_FLINK: Leg = { runtime: 'flink', target: 'flink' };
const TO_GW1: Leg = { runtime: 'edge', target: 'gw1' };
const STEPS = ['STOPPING', 'UNINSTALLING', 'INSTALLING', 'STARTING'];

/**
 * The moves, in order (gw1 -> gw2 -> flink -> gw1 -> ...), and the step each one is killed in.
 * By default every step and every kind of move is hit (six moves, within CI's time); with
 * CHAOS_MOVE_MATRIX=full every step of every kind of move (twelve).
 */
const PLAN: { leg: Leg; step: string }[] =
  process.env.CHAOS_MOVE_MATRIX === 'full'
    ? STEPS.flatMap((step) => [TO_GW2, TO_FLINK, TO_GW1].map((leg) => ({ leg, step })))
    : [
        { leg: TO_GW2, step: 'STOPPING' },
        { leg: TO_FLINK, step: 'UNINSTALLING' },
        { leg: TO_GW1, step: 'INSTALLING' },
        { leg: TO_GW2, step: 'STARTING' },
        { leg: TO_FLINK, step: 'INSTALLING' },
        { leg: TO_GW1, step: 'STOPPING' },
      ];

describe('chaos: the active adapter killed in each step of a move', () => {
  let run: ChaosRun | undefined;

  beforeAll(async () => {
    run = await ChaosRun.start('adapter-killed-in-move', {
      agents: ['gw1', 'gw2'],
      flink: true,
      standbyAdapters: 1,
    });
  }, 600_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('the standby finishes or rolls back every move; the job runs once; outputs are exact', async () => {
    const chaos = run!;
    const registry = new RegistryProbe(chaos.system.databaseUrl);
    const outcomes: string[] = [];
    await chaos.guard(async () => {
      const rule = await chaos.addRule({
        name: 'filter',
        kind: 'filter',
        runtime: 'edge',
        target: 'gw1',
      });
      const stream = chaos.stream(600 * PLAN.length, [rule], 10, 100);
      for (const { leg, step } of PLAN) {
        outcomes.push(await moveAndKill(chaos, registry, rule, leg, step));
      }
      await stream.done;
      process.stdout.write(`  adapter-killed-in-move: ${outcomes.join('; ')}\n`);
      expectExact(await chaos.finish());
    });
  });

  /** One move with the active adapter killed at `step`; returns what happened. */
  async function moveAndKill(
    chaos: ChaosRun,
    registry: RegistryProbe,
    rule: ChaosRule,
    leg: Leg,
    step: string,
  ): Promise<string> {
    const from = `${rule.job.runtime}/${(await chaos.details(rule)).targetResource}`;
    const label = `${from} -> ${leg.runtime}/${leg.target} at ${step}`;
    const since = Date.now() - 1_000;
    const answer = chaos.system
      .api('POST', '/api/move', {
        target_runtime: leg.runtime,
        targetResource: leg.target,
        jobInfo: chaos.jobInfo(rule),
      })
      .then((r) => r.status)
      .catch(() => 0);
    const atStep = await registry.waitForMoveStep(rule.job.jobId, step, since);
    let killed: string | undefined;
    if (atStep) {
      // Exactly one adapter is active: only it consumes the request queue, so it runs the move.
      const consumers = await consumersOf(chaos.system.coreAmqpUrl, ADAPTER_QUEUE);
      expect({ label, activeAdapters: consumers.length }).toEqual({ label, activeAdapters: 1 });
      killed =
        ['adapter', 'adapter-2'].find((name) => chaos.system.process(name).pid === consumers[0]) ??
        'adapter';
      await chaos.system.kill(killed, 'SIGKILL');
    }
    // The standby alone must bring the move to an end.
    const ended = await waitUntil(
      `move ${label} ended by the standby`,
      async () => {
        const move = await registry.latestMove(rule.job.jobId);
        return move && move.state !== 'IN_PROGRESS' ? move.state : undefined;
      },
      120_000,
      500,
    ).catch(() => 'STILL_IN_PROGRESS');
    if (killed) chaos.system.restart(killed);
    if (ended === 'STILL_IN_PROGRESS') {
      throw new Error(
        `${label}: the standby adapter did not finish or roll back the move within 120 s`,
      );
    }
    await waitUntil(
      'the job released',
      async () => (await registry.unfinished()).heldJobs === 0,
      120_000,
    );
    const details = await chaos.details(rule);
    rule.job = jobInfoOf(details);
    expect({ label, jobStatus: details.jobStatus }).toEqual({ label, jobStatus: 'RUNNING' });
    // Exactly one placement: a Flink job exists only while the rule is placed on Flink.
    const flinkJobs = (await liveFlinkJobsOf(rule.job.jobId)).length;
    expect({ label, runtime: details.runtime, liveFlinkJobs: flinkJobs }).toEqual({
      label,
      runtime: details.runtime,
      liveFlinkJobs: details.runtime === 'flink' ? 1 : 0,
    });
    return `${label}: ${killed ? `killed ${killed}` : 'step passed before the kill'}, ${ended}, answer ${await answer}`;
  }
});
