import { jobFixture } from '../../../registry/testing/job-fixtures';
import {
  InMemoryJobRepository,
  InMemoryRuntimeRepository,
  TEST_OWNER,
} from '../../../registry/testing/in-memory-registry';
import { RegistryRetry } from '../../../registry/registry-retry';
import { RecordingEventPublisher } from '../../../events/event-publisher';
import { EventRelay } from '../../../events/outbox/event-relay';
import { JobAccess } from '../../../rules/job-access';
import { ManualClock } from '../../../shared/clock';
import {
  RegistryFlinkRuntimeHealth,
  RegistryJobFailureReporter,
  RegistryRunningFlinkJobs,
} from './registry-reconcile-adapters';

const RUNNING_ON_FLINK = '00000000-0000-4000-8000-000000000001';
const STOPPED_ON_FLINK = '00000000-0000-4000-8000-000000000002';
const HELD_ON_FLINK = '00000000-0000-4000-8000-000000000003';
const RUNNING_ON_EDGE = '00000000-0000-4000-8000-000000000004';

describe('registry adapters of Flink reconciliation', () => {
  let jobs: InMemoryJobRepository;
  let clock: ManualClock;

  beforeEach(async () => {
    jobs = new InMemoryJobRepository();
    clock = new ManualClock();
    const onFlink = { runtime: 'flink' as const, targetResource: 'flink' };
    await jobs.insert(jobFixture(RUNNING_ON_FLINK, { ...onFlink, status: 'RUNNING' }));
    await jobs.insert(jobFixture(STOPPED_ON_FLINK, { ...onFlink, status: 'STOPPED' }));
    await jobs.insert(
      jobFixture(HELD_ON_FLINK, { ...onFlink, status: 'RUNNING', operation: 'stop' }),
    );
    await jobs.insert(jobFixture(RUNNING_ON_EDGE, { status: 'RUNNING' }));
  });

  it('lists the idle RUNNING jobs of one cluster', async () => {
    const running = new RegistryRunningFlinkJobs(jobs);
    expect(await running.runningOn('flink')).toEqual([RUNNING_ON_FLINK]);
    expect(await running.runningOn('other')).toEqual([]);
  });

  it('marks only an idle RUNNING flink job FAILED, with the reason in its history', async () => {
    const reporter = new RegistryJobFailureReporter(
      jobs,
      new JobAccess(
        jobs,
        clock,
        new RegistryRetry(TEST_OWNER, clock),
        new EventRelay(jobs.outbox, new RecordingEventPublisher(), clock),
      ),
      clock,
    );
    for (const id of [RUNNING_ON_FLINK, STOPPED_ON_FLINK, HELD_ON_FLINK, RUNNING_ON_EDGE]) {
      await reporter.reportFailed(id, 'Flink job x is FAILED: boom');
    }
    expect(await jobs.findById(RUNNING_ON_FLINK)).toMatchObject({
      status: 'FAILED',
      failureReason: 'Flink job x is FAILED: boom',
    });
    expect((await jobs.history(RUNNING_ON_FLINK)).map((h) => h.status)).toEqual(['FAILED']);
    expect((await jobs.findById(STOPPED_ON_FLINK))?.status).toBe('STOPPED');
    expect((await jobs.findById(HELD_ON_FLINK))?.status).toBe('RUNNING');
    expect((await jobs.findById(RUNNING_ON_EDGE))?.status).toBe('RUNNING');
    // Only the job marked FAILED has its event, written with the status change.
    expect(
      jobs.outbox.rows.map((r) => [r.event.event, (r.event as { jobId: string }).jobId]),
    ).toEqual([['failed', RUNNING_ON_FLINK]]);
  });

  it('writes cluster health as a flink runtime', async () => {
    const runtimes = new InMemoryRuntimeRepository();
    const at = clock.now();
    await new RegistryFlinkRuntimeHealth(runtimes).report({
      cluster: 'flink',
      health: 'UP',
      lastSeenAt: at,
      details: { taskmanagers: 1 },
    });
    expect(await runtimes.find('flink', 'flink')).toMatchObject({
      kind: 'flink',
      health: 'UP',
      lastSeenAt: at,
      details: { taskmanagers: 1 },
    });
  });
});
