/**
 * Chaos: the Flink TaskManager running a window count is SIGKILLed; the chaos cluster gives up
 * restarting (no slots) and the job ends FAILED, the adapter reports the rule FAILED, the
 * TaskManager comes back and the rule is started again from FAILED through the API. The
 * windows must equal those of an undisturbed run: every input counted once, none lost.
 */
import { waitUntil } from '../integration/support/system';
import { ChaosRun, expectExact } from './support/chaos-system';
import { killTaskManager, startTaskManager } from './support/faults';

describe('chaos: Flink TaskManager killed, rule restarted from FAILED', () => {
  let run: ChaosRun | undefined;

  beforeAll(async () => {
    run = await ChaosRun.start('flink-taskmanager-killed', { agents: ['gw1'], flink: true });
  }, 600_000);

  afterAll(async () => {
    await startTaskManager().catch(() => undefined);
    await run?.stop();
  });

  it('resumes from its newest checkpoint: window outputs equal an undisturbed run', async () => {
    const chaos = run!;
    await chaos.guard(async () => {
      const window = await chaos.addRule({
        name: 'flink-window',
        kind: 'window',
        runtime: 'flink',
        target: 'flink',
      });
      const first = chaos.stream(1_500, [window], 25, 100);
      await waitUntil(
        'window outputs before the kill',
        async () => window.collector.outputs.length > 8,
        180_000,
      );
      await first.done;
      // Sent and partly checkpointed: some inputs acked at a checkpoint, some in open windows.
      await killTaskManager();
      const failed = await chaos.waitForStatus(window, 'FAILED', 300_000);
      process.stdout.write(
        `  flink-taskmanager-killed: rule FAILED (${failed.failureReason ?? 'no reason'})\n`,
      );
      await startTaskManager();
      window.job = await chaos.call('start', chaos.jobInfo(window));
      expect(window.job.jobStatus).toBe('RUNNING');
      await chaos.stream(1_000, [window], 25, 100).done;
      expectExact(await chaos.finish());
    });
  });
});
