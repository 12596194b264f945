import type { JobEvent, PipelineEvent, RuleshiftEvent } from '@ruleshift/contracts';
import type { PipelineRepository } from '../../../pipelines/persistence/pipeline.repository';
import { pipelineRow } from '../../../pipelines/testing/pipeline-repository-contract';
import type { JobRepository } from '../../../registry/job.repository';
import type { OperationOwner } from '../../../registry/operation-owner';
import { FixedOperationOwner } from '../../../registry/operation-owner';
import type { RegistryLease } from '../../../registry/registry-lease';
import { jobFixture } from '../../../registry/testing/job-fixtures';
import type { EventOutbox } from '../event-outbox.repository';

/** One registry: its outbox, and job and pipeline tables that write to it. */
export interface EventOutboxContractSetup {
  outbox: EventOutbox;
  lease: RegistryLease;
  jobsFor(owner: OperationOwner): JobRepository;
  pipelinesFor(owner: OperationOwner): PipelineRepository;
  /** Empties the outbox and the lease between cases. */
  reset(): Promise<void>;
}

let counter = 0;
const uuid = (): string =>
  `7b000000-0000-4000-8000-${(Date.now() % 1e8).toString().padStart(8, '0')}${(counter++)
    .toString()
    .padStart(4, '0')}`;

const jobEvent = (jobId: string, event: JobEvent['event'], at = new Date()): JobEvent => ({
  kind: 'job',
  event,
  eventId: uuid(),
  jobId,
  jobType: 'filter',
  status: 'RUNNING',
  runtime: 'edge',
  targetResource: 'gw-1',
  at: at.toISOString(),
});

const pipelineEvent = (pipelineId: string, name: string): PipelineEvent => ({
  kind: 'pipeline',
  event: 'started',
  eventId: uuid(),
  pipelineId,
  name,
  status: 'RUNNING',
  at: new Date().toISOString(),
});

const idsOf = (events: { event: RuleshiftEvent }[]): string[] => events.map((e) => e.event.eventId);

/**
 * The outbox's contract, run on the real PostgreSQL (integration), embedded PGlite and the
 * in-memory fakes: an event is stored exactly when the write it reports happened (same
 * transaction), pending events come oldest first until marked published.
 */
export function eventOutboxContractCases(setup: () => EventOutboxContractSetup): void {
  const owner = new FixedOperationOwner('outbox-adapter/term-1');

  beforeEach(async () => {
    const { reset, lease } = setup();
    await reset();
    await lease.acquire(owner.current(), 60_000);
  });

  const heldJob = async (jobs: JobRepository) => {
    const id = uuid();
    await jobs.insert(jobFixture(id));
    expect(await jobs.claim(id, 'start', 0)).toBe(true);
    return id;
  };

  it('stores the events of a release with it, and hands them out oldest first until published', async () => {
    const { outbox, jobsFor } = setup();
    const jobs = jobsFor(owner);
    const first = await heldJob(jobs);
    const second = await heldJob(jobs);
    const started = jobEvent(first, 'started');
    const failed = jobEvent(second, 'failed');
    await jobs.release(first, 'start', { status: 'RUNNING' }, [started]);
    await jobs.release(second, 'start', {}, [failed]);

    const pending = await outbox.pending(10);
    expect(pending.map((p) => p.event)).toEqual([started, failed]);
    expect(pending.map((p) => p.attempts)).toEqual([0, 0]);
    await outbox.markPublished(pending[0].id, new Date());
    expect(idsOf(await outbox.pending(10))).toEqual([failed.eventId]);
    expect(idsOf(await outbox.pending(1))).toEqual([failed.eventId]);
  });

  it('stores no event when the release did not happen (the job was not held)', async () => {
    const { outbox, jobsFor } = setup();
    const jobs = jobsFor(owner);
    const id = uuid();
    await jobs.insert(jobFixture(id));
    await jobs.release(id, 'start', { status: 'RUNNING' }, [jobEvent(id, 'started')]);
    expect(await outbox.pending(10)).toEqual([]);
    expect((await jobs.findById(id))?.status).toBe('INSTALLED');
  });

  it('keeps the job held when its event cannot be stored: one transaction', async () => {
    const { outbox, jobsFor } = setup();
    const jobs = jobsFor(owner);
    const id = await heldJob(jobs);
    const unstorable = { ...jobEvent(id, 'started'), at: 'not a time' };
    await expect(jobs.release(id, 'start', { status: 'RUNNING' }, [unstorable])).rejects.toThrow();
    expect(await jobs.findById(id)).toMatchObject({ operation: 'start', status: 'INSTALLED' });
    expect(await outbox.pending(10)).toEqual([]);
  });

  it('stores the event of an idle update only when the job was idle', async () => {
    const { outbox, jobsFor } = setup();
    const jobs = jobsFor(owner);
    const idle = uuid();
    await jobs.insert(jobFixture(idle, { status: 'RUNNING' }));
    const held = await heldJob(jobs);
    const failedIdle = jobEvent(idle, 'failed');
    expect(await jobs.updateIdle(idle, { status: 'FAILED' }, [failedIdle])).toBe(true);
    expect(await jobs.updateIdle(held, { status: 'FAILED' }, [jobEvent(held, 'failed')])).toBe(
      false,
    );
    expect(idsOf(await outbox.pending(10))).toEqual([failedIdle.eventId]);
  });

  it('writes the history entry of an idle update in the same transaction, only when it updated', async () => {
    const { jobsFor } = setup();
    const jobs = jobsFor(owner);
    const idle = uuid();
    await jobs.insert(jobFixture(idle, { status: 'RUNNING' }));
    const held = await heldJob(jobs);
    const entry = (jobId: string) => ({
      jobId,
      status: 'FAILED' as const,
      runtime: 'flink' as const,
      targetResource: 'flink',
      reason: 'Flink job x is CANCELED',
      at: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(await jobs.updateIdle(idle, { status: 'FAILED' }, [], entry(idle))).toBe(true);
    expect(await jobs.updateIdle(held, { status: 'FAILED' }, [], entry(held))).toBe(false);
    expect((await jobs.history(idle)).at(-1)).toMatchObject({
      status: 'FAILED',
      reason: 'Flink job x is CANCELED',
    });
    expect((await jobs.history(held)).map((h) => h.status)).not.toContain('FAILED');
  });

  it('stores the events of a pipeline release with it', async () => {
    const { outbox, pipelinesFor } = setup();
    const pipelines = pipelinesFor(owner);
    const row = pipelineRow();
    expect(await pipelines.insert(row)).toBe(true);
    const installed = pipelineEvent(row.id, row.name);
    await pipelines.release(row.id, 'create', {}, [installed]);
    // Not held any more: a second release writes nothing.
    await pipelines.release(row.id, 'create', {}, [pipelineEvent(row.id, row.name)]);
    expect(idsOf(await outbox.pending(10))).toEqual([installed.eventId]);
  });

  it('reports its backlog: how many are pending, since when, and the failed attempts of the head', async () => {
    const { outbox, jobsFor } = setup();
    expect(await outbox.backlog()).toEqual({ pending: 0, oldestCreatedAt: null, headAttempts: 0 });
    const jobs = jobsFor(owner);
    const id = await heldJob(jobs);
    const oldest = new Date('2026-01-02T03:04:05.000Z');
    await jobs.release(id, 'start', {}, [
      jobEvent(id, 'started', oldest),
      jobEvent(id, 'stopped', new Date('2026-01-02T03:05:00.000Z')),
    ]);
    const [head] = await outbox.pending(1);
    await outbox.recordFailure(head.id, 'broker away');
    expect(await outbox.backlog()).toEqual({
      pending: 2,
      oldestCreatedAt: oldest,
      headAttempts: 1,
    });
    await outbox.markPublished(head.id, new Date());
    expect(await outbox.backlog()).toMatchObject({ pending: 1, headAttempts: 0 });
  });

  it('counts failed attempts and keeps the event first in line', async () => {
    const { outbox, jobsFor } = setup();
    const jobs = jobsFor(owner);
    const id = await heldJob(jobs);
    const events = [jobEvent(id, 'started'), jobEvent(id, 'stopped')];
    await jobs.release(id, 'start', {}, events);
    const [head] = await outbox.pending(10);
    await outbox.recordFailure(head.id, 'broker away');
    await outbox.recordFailure(head.id, 'broker away');
    const pending = await outbox.pending(10);
    expect(pending.map((p) => [p.event.eventId, p.attempts])).toEqual([
      [events[0].eventId, 2],
      [events[1].eventId, 0],
    ]);
  });

  it('deletes published events published before the cutoff, never pending ones', async () => {
    const { outbox, jobsFor } = setup();
    const jobs = jobsFor(owner);
    const id = await heldJob(jobs);
    const events = [jobEvent(id, 'started'), jobEvent(id, 'stopped'), jobEvent(id, 'moved')];
    await jobs.release(id, 'start', {}, events);
    const [old, recent] = await outbox.pending(10);
    await outbox.markPublished(old.id, new Date('2026-01-01T00:00:00Z'));
    await outbox.markPublished(recent.id, new Date('2026-01-03T00:00:00Z'));
    expect(await outbox.purgePublishedBefore(new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(idsOf(await outbox.pending(10))).toEqual([events[2].eventId]);
    expect(await outbox.purgePublishedBefore(new Date('2026-01-02T00:00:00Z'))).toBe(0);
  });
}
