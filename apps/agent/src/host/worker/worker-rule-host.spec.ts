import * as path from 'node:path';
import type { RuleConfig, RuleSnapshot } from '@ruleshift/contracts';
import { silentLogger } from '../../shared/logger';
import type { HostedRule } from '../rule-host';
import { spawnWorker } from './spawn-worker';
import { WorkerRuleHost } from './worker-rule-host';
import type { RuleHostWorkerData } from './worker-protocol';

const FAKE_WORKER = path.join(__dirname, '__fixtures__', 'fake-rule-host-worker.ts');

const ruleFor = (jobId: string, jobProps: Record<string, unknown> = {}): HostedRule => ({
  bundlePath: `/unused/${jobId}.js`,
  config: {
    jobId,
    jobType: 'filter',
    templateVersion: '1.0.0',
    jobProps,
    deadLetterExchange: 'ruleshift.dlx',
    connectors: {} as RuleConfig['connectors'],
  },
});

const checkpointOf = (jobId: string, eventsIn: number): RuleSnapshot => ({
  format: 'ruleshift.snapshot/v1',
  jobId,
  jobType: 'filter',
  templateVersion: '1.0.0',
  takenAt: new Date(0).toISOString(),
  watermark: null,
  state: { eventsIn },
});

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('WorkerRuleHost (real worker thread)', () => {
  let host: WorkerRuleHost | undefined;
  afterEach(async () => {
    await host?.close();
  });

  const createHost = (
    checkpoints: Record<string, RuleSnapshot> = {},
    maxHeapMb?: number,
  ): WorkerRuleHost =>
    new WorkerRuleHost({
      spawn: (culprit) =>
        spawnWorker(
          FAKE_WORKER,
          {
            culprit,
            dataDir: '/unused',
            brokerConfig: {},
          } satisfies RuleHostWorkerData,
          maxHeapMb ? { maxOldGenerationSizeMb: maxHeapMb } : undefined,
        ),
      maxHeapMb,
      checkpoints: {
        load: (jobId) => Promise.resolve(checkpoints[jobId]),
        save: () => Promise.resolve(),
      },
      logger: silentLogger,
      watchdog: { pingIntervalMs: 50, timeoutMs: 500 },
    });

  it('runs rules in the worker and reports their metrics through the watchdog pings', async () => {
    host = createHost();
    await host.start(ruleFor('a'));
    await eventually(() => (host!.metrics('a')?.eventsIn ?? 0) > 0, 'metrics of rule a');
    const snapshot = await host.stop('a');
    expect(snapshot.jobId).toBe('a');
    expect((snapshot.state as { eventsIn: number }).eventsIn).toBeGreaterThan(0);
    expect(host.isRunning('a')).toBe(false);
  });

  it('terminates a host blocked by a looping rule, fails that rule and restarts the others from their checkpoints', async () => {
    host = createHost({ calm: checkpointOf('calm', 1000) });
    const failures: Array<{ jobId: string; reason: string }> = [];
    host.onFailure((jobId, reason) => failures.push({ jobId, reason }));

    await host.start(ruleFor('calm'));
    await host.start(ruleFor('other'));
    await host.start(ruleFor('looper', { loop: true }));

    await eventually(() => failures.length > 0, 'the looping rule reported as failed');
    expect(failures).toEqual([{ jobId: 'looper', reason: expect.stringContaining('blocked') }]);
    expect(host.isRunning('looper')).toBe(false);

    // The new worker runs the other rules again, resumed from their last checkpoint.
    await eventually(
      () => (host!.metrics('calm')?.eventsIn ?? 0) > 1000 && host!.isRunning('other'),
      'calm and other running again in a new worker',
    );
    const other = await host.stop('other');
    expect(other.jobId).toBe('other');
    expect(failures).toHaveLength(1);
  });

  it('ends a host whose rule exhausts the heap limit, fails that rule alone with the reason and restarts the others', async () => {
    host = createHost({ calm: checkpointOf('calm', 1000) }, 64);
    const failures: Array<{ jobId: string; reason: string }> = [];
    host.onFailure((jobId, reason) => failures.push({ jobId, reason }));

    await host.start(ruleFor('calm'));
    await host.start(ruleFor('hog', { allocate: true }));

    await eventually(() => failures.length > 0, 'the allocating rule reported as failed');
    expect(failures).toEqual([
      {
        jobId: 'hog',
        reason: expect.stringContaining("exhausted the rule host's heap limit of 64 MB"),
      },
    ]);
    expect(host.isRunning('hog')).toBe(false);
    await eventually(
      () => (host!.metrics('calm')?.eventsIn ?? 0) > 1000,
      'calm running again in a new worker',
    );
    expect((await host.stop('calm')).jobId).toBe('calm');
    expect(failures).toHaveLength(1);
  });
});
