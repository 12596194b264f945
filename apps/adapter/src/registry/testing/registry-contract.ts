import type { JobRepository } from '../job.repository';
import type { MoveOperationRepository } from '../move-operation.repository';
import type { MoveOperationEntity } from '../entities/move-operation.entity';
import { FixedOperationOwner, LeadershipLost, type OperationOwner } from '../operation-owner';
import type { RegistryLease } from '../registry-lease';
import { MAX_HISTORY_PER_JOB, MAX_REASON_CHARS } from '../stored-field-limits';
import { jobFixture } from './job-fixtures';

/** One registry as two adapters (two owners) see it, plus a way to empty the lease between cases. */
export interface RegistryContractSetup {
  lease: RegistryLease;
  jobsFor(owner: OperationOwner): JobRepository;
  movesFor(owner: OperationOwner): MoveOperationRepository;
  clearLease(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A distinct uuid per case, so cases share a database without seeing each other's rows. */
let counter = 0;
const uuid = (): string =>
  `7a000000-0000-4000-8000-${(Date.now() % 1e8).toString().padStart(8, '0')}${(counter++)
    .toString()
    .padStart(4, '0')}`;

const moveFixture = (jobId: string): MoveOperationEntity => ({
  id: uuid(),
  jobId,
  fromRuntime: 'edge',
  fromResource: 'gw-1',
  toRuntime: 'edge',
  toResource: 'gw-2',
  wasRunning: true,
  carryState: false,
  dropsState: false,
  owner: null,
  step: 'STOPPING',
  snapshot: null,
  state: 'IN_PROGRESS',
  error: null,
  createdAt: new Date(),
  updatedAt: new Date(),
});

/**
 * The registry's contract, run against the real PostgreSQL (integration), embedded PGlite and
 * the in-memory fakes the use-case tests rely on, so the fakes cannot drift from SQL.
 */
export function registryContractCases(setup: () => RegistryContractSetup): void {
  const a = new FixedOperationOwner('adapter-a/term-1');
  const b = new FixedOperationOwner('adapter-b/term-1');

  beforeEach(async () => {
    await setup().clearLease();
  });

  it('gives the lease to one candidate at a time, and to the next once released or expired', async () => {
    const { lease } = setup();
    expect(await lease.acquire(a.current(), 60_000)).toBe(true);
    expect(await lease.acquire(b.current(), 60_000)).toBe(false);
    expect(await lease.acquire(a.current(), 60_000)).toBe(true); // renewal
    expect((await lease.current())?.holder).toBe(a.current());
    await lease.release(a.current());
    expect(await lease.acquire(b.current(), 200)).toBe(true);
    expect(await lease.holds(b.current())).toBe(true);
    // Not renewed: it expires by the database's clock and another candidate takes it.
    let taken = false;
    for (let i = 0; i < 50 && !taken; i += 1) {
      await sleep(100);
      taken = await lease.acquire(a.current(), 60_000);
    }
    expect(taken).toBe(true);
    expect(await lease.holds(b.current())).toBe(false);
  });

  it('records the owner of an operation and fences an owner that lost the lease', async () => {
    const { lease } = setup();
    const id = uuid();
    await lease.acquire(a.current(), 60_000);
    const jobsA = setup().jobsFor(a);
    await jobsA.insert(jobFixture(id));
    expect(await jobsA.claim(id, 'start', 0)).toBe(true);
    expect((await jobsA.findById(id))?.operationOwner).toBe(a.current());

    await lease.release(a.current());
    await lease.acquire(b.current(), 60_000);
    // A no longer holds the lease: none of its writes of operations happen.
    await expect(jobsA.release(id, 'start', { status: 'RUNNING' })).rejects.toBeInstanceOf(
      LeadershipLost,
    );
    await expect(jobsA.updateHeld(id, 'start', { status: 'RUNNING' })).rejects.toBeInstanceOf(
      LeadershipLost,
    );
    const other = uuid();
    await expect(jobsA.insert(jobFixture(other, { operation: 'install' }))).rejects.toBeInstanceOf(
      LeadershipLost,
    );
    expect(await jobsA.findById(other)).toBeNull();
    expect(await jobsA.findById(id)).toMatchObject({ status: 'INSTALLED', operation: 'start' });

    // B holds the lease but not the job: its release is a no-op until it adopts it.
    const jobsB = setup().jobsFor(b);
    await jobsB.release(id, 'start');
    expect((await jobsB.findById(id))?.operation).toBe('start');
  });

  it('lets the new active adapter adopt exactly the operations of other owners', async () => {
    const { lease } = setup();
    const orphan = uuid();
    const mine = uuid();
    await lease.acquire(a.current(), 60_000);
    const jobsA = setup().jobsFor(a);
    const movesA = setup().movesFor(a);
    await jobsA.insert(jobFixture(orphan));
    expect(await jobsA.claim(orphan, 'move', 0)).toBe(true);
    const move = moveFixture(orphan);
    await movesA.insert(move);
    expect((await movesA.findById(move.id))?.owner).toBe(a.current());

    await lease.release(a.current());
    await lease.acquire(b.current(), 60_000);
    const jobsB = setup().jobsFor(b);
    const movesB = setup().movesFor(b);
    await jobsB.insert(jobFixture(mine));
    expect(await jobsB.claim(mine, 'stop', 0)).toBe(true);

    const adoptedJobs = await jobsB.adoptOrphans();
    expect(adoptedJobs.map((j) => j.id)).toContain(orphan);
    expect(adoptedJobs.map((j) => j.id)).not.toContain(mine);
    const adoptedMoves = await movesB.adoptOrphans();
    expect(adoptedMoves.map((m) => m.id)).toContain(move.id);
    expect(await jobsB.adoptOrphans()).toEqual([]);

    // The adopted move and job are B's now; A's writes stay fenced off.
    await movesB.update(move.id, { state: 'DONE' });
    await expect(movesA.update(move.id, { state: 'ROLLED_BACK' })).rejects.toBeInstanceOf(
      LeadershipLost,
    );
    expect((await movesB.findById(move.id))?.state).toBe('DONE');
    await jobsB.release(orphan, 'move', { status: 'RUNNING' });
    await jobsB.release(mine, 'stop');
    expect(await jobsB.findById(orphan)).toMatchObject({ operation: null, status: 'RUNNING' });
  });

  it('pages jobs oldest first by (createdAt, id), each exactly once', async () => {
    const { lease } = setup();
    await lease.acquire(a.current(), 60_000);
    const jobs = setup().jobsFor(a);
    const at = (s: number) => new Date(Date.UTC(2100, 0, 1, 0, 0, s));
    const ids: string[] = [];
    // Two share a createdAt: the id breaks the tie.
    for (const second of [1, 2, 2, 3, 4]) {
      const id = uuid();
      ids.push(id);
      await jobs.insert(jobFixture(id, { createdAt: at(second), updatedAt: at(second) }));
    }
    const seen: string[] = [];
    let after = { createdAt: at(0), id: '00000000-0000-4000-8000-000000000000' };
    for (;;) {
      const page = await jobs.page({ limit: 2, after });
      seen.push(...page.items.map((j) => j.id));
      if (!page.next) break;
      after = page.next;
    }
    const expected = [ids[0], ...[ids[1], ids[2]].sort(), ids[3], ids[4]];
    expect(seen).toEqual(expected);
  });

  it('keeps the newest history entries of a job and bounds reasons', async () => {
    const { lease } = setup();
    await lease.acquire(a.current(), 60_000);
    const jobs = setup().jobsFor(a);
    const id = uuid();
    await jobs.insert(jobFixture(id));
    for (let i = 0; i < MAX_HISTORY_PER_JOB + 5; i += 1) {
      await jobs.appendHistory({
        jobId: id,
        status: 'RUNNING',
        runtime: 'edge',
        targetResource: 'gw-1',
        reason: i === MAX_HISTORY_PER_JOB + 4 ? 'x'.repeat(50_000) : `change ${i}`,
        at: new Date(),
      });
    }
    const history = await jobs.history(id);
    expect(history).toHaveLength(MAX_HISTORY_PER_JOB);
    expect(history[0]?.reason).toBe('change 5');
    expect(history.at(-1)?.reason?.length).toBe(MAX_REASON_CHARS);
  });

  it('deletes uninstalled jobs past retention with their history, and nothing else', async () => {
    const { lease } = setup();
    await lease.acquire(a.current(), 60_000);
    const jobs = setup().jobsFor(a);
    const old = new Date('1990-01-01T00:00:00.000Z');
    const recent = new Date('1990-06-01T00:00:00.000Z');
    const expired = uuid();
    const kept = uuid();
    const running = uuid();
    await jobs.insert(jobFixture(expired, { status: 'UNINSTALLED', updatedAt: old }));
    await jobs.insert(jobFixture(kept, { status: 'UNINSTALLED', updatedAt: recent }));
    await jobs.insert(jobFixture(running, { status: 'RUNNING', updatedAt: old }));
    await jobs.appendHistory({
      jobId: expired,
      status: 'UNINSTALLED',
      runtime: 'edge',
      targetResource: 'gw-1',
      reason: null,
      at: old,
    });
    const purged = await jobs.purgeUninstalledBefore(new Date('1990-03-01T00:00:00.000Z'), 100);
    expect(purged).toEqual([expired]);
    expect(await jobs.findById(expired)).toBeNull();
    expect(await jobs.history(expired)).toEqual([]);
    expect(await jobs.findById(kept)).not.toBeNull();
    expect(await jobs.findById(running)).not.toBeNull();
  });
}
