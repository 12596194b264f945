import type { RuleshiftEvent, RuntimeKind } from '@ruleshift/contracts';
import { InMemoryEventOutbox } from '../../events/outbox/in-memory-event-outbox';
import type { JobStatusHistoryEntity } from '../entities/job-status-history.entity';
import type { JobEntity, JobOperation } from '../entities/job.entity';
import type { MoveOperationEntity } from '../entities/move-operation.entity';
import type { RuntimeEntity } from '../entities/runtime.entity';
import type { TemplateEntity } from '../entities/template.entity';
import { DatabaseProbe } from '../database-probe';
import { type HistoryEntry, type JobPatch, JobRepository, boundPatch } from '../job.repository';
import type { JobPosition, Page, PageRequest } from '../job-page';
import { type MovePatch, MoveOperationRepository } from '../move-operation.repository';
import { FixedOperationOwner, LeadershipLost, OperationOwner } from '../operation-owner';
import { type LeaseState, RegistryLease } from '../registry-lease';
import { MAX_HISTORY_PER_JOB, boundReason } from '../stored-field-limits';
import { RuntimeRepository } from '../runtime.repository';
import { TemplateRepository } from '../template.repository';

/** Fakes with the same semantics as the TypeORM repositories, for use-case unit tests. */
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The lease in memory, on an injectable time source (a ManualClock's now in use-case tests).
 */
export class InMemoryRegistryLease extends RegistryLease {
  state: LeaseState | null = null;

  constructor(private readonly now: () => number = () => Date.now()) {
    super();
  }

  acquire(holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    if (this.state && this.state.holder !== holder && this.state.expiresAt.getTime() > now) {
      return Promise.resolve(false);
    }
    this.state = { holder, expiresAt: new Date(now + ttlMs) };
    return Promise.resolve(true);
  }

  release(holder: string): Promise<void> {
    if (this.state?.holder === holder) this.state = null;
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.state = null;
    return Promise.resolve();
  }

  current(): Promise<LeaseState | null> {
    const live = this.state && this.state.expiresAt.getTime() > this.now() ? this.state : null;
    return Promise.resolve(live ? { ...live } : null);
  }

  async holds(holder: string): Promise<boolean> {
    return (await this.current())?.holder === holder;
  }
}

/** Default for use-case tests: one adapter that always holds the lease. */
export const TEST_OWNER = new FixedOperationOwner('test-adapter');

/**
 * Fence shared by the in-memory repositories: without a lease every write is allowed (the
 * single adapter of a use-case test), with one the owner must hold it, as in SQL.
 */
class InMemoryFence {
  constructor(
    readonly owner: OperationOwner,
    private readonly lease?: RegistryLease,
  ) {}

  async holds(): Promise<boolean> {
    return this.lease ? this.lease.holds(this.owner.current()) : true;
  }

  async require(): Promise<void> {
    if (!(await this.holds())) throw new LeadershipLost();
  }
}

const createdOrder = (a: JobEntity, b: JobEntity): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const isAfter = (job: JobEntity, after: JobPosition): boolean =>
  job.createdAt.getTime() > after.createdAt.getTime() ||
  (job.createdAt.getTime() === after.createdAt.getTime() && job.id > after.id);

export class InMemoryJobRepository extends JobRepository {
  private readonly fence: InMemoryFence;

  constructor(
    owner: OperationOwner = TEST_OWNER,
    private readonly lease?: RegistryLease,
    readonly rows = new Map<string, JobEntity>(),
    readonly historyRows: JobStatusHistoryEntity[] = [],
    /** Where release/updateIdle put their events (shared with the pipeline fake in a kit). */
    public outbox = new InMemoryEventOutbox(),
  ) {
    super();
    this.fence = new InMemoryFence(owner, lease);
  }

  /** The same rows as seen by another adapter (another owner), as a second process would. */
  forOwner(owner: OperationOwner): InMemoryJobRepository {
    const other = new InMemoryJobRepository(
      owner,
      this.lease,
      this.rows,
      this.historyRows,
      this.outbox,
    );
    other.onDelete = this.onDelete;
    return other;
  }

  private get nextHistoryId(): number {
    return Math.max(0, ...this.historyRows.map((h) => h.id)) + 1;
  }

  private get me(): string {
    return this.fence.owner.current();
  }

  findById(id: string): Promise<JobEntity | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? copy(row) : null);
  }

  page(request: PageRequest): Promise<Page<JobEntity>> {
    const after = request.after;
    const rows = [...this.rows.values()]
      .filter((job) => !after || isAfter(job, after))
      .sort(createdOrder);
    const items = rows.slice(0, request.limit).map(copy);
    const last = items[items.length - 1];
    return Promise.resolve(
      rows.length > request.limit && last
        ? { items, next: { createdAt: last.createdAt, id: last.id } }
        : { items },
    );
  }

  listRunningOn(runtime: RuntimeKind, targetResource: string): Promise<JobEntity[]> {
    return Promise.resolve(
      [...this.rows.values()]
        .filter(
          (j) =>
            j.runtime === runtime &&
            j.targetResource === targetResource &&
            j.status === 'RUNNING' &&
            j.operation === null,
        )
        .map(copy),
    );
  }

  listHeld(): Promise<JobEntity[]> {
    return Promise.resolve([...this.rows.values()].filter((j) => j.operation !== null).map(copy));
  }

  findQueueReaders(endpoint: string, queue: string, exceptId: string): Promise<string[]> {
    const readers = [...this.rows.values()].filter((job) => {
      if (job.id === exceptId || (job.status === 'UNINSTALLED' && job.operation === null)) {
        return false;
      }
      const c = job.config.connectors;
      const inputs = [{ endpoint: c.inputEndpoint, queue: c.inputQueue }, c.secondInput];
      return inputs.some((i) => i?.endpoint === endpoint && i.queue === queue);
    });
    return Promise.resolve(readers.map((job) => job.id));
  }

  async insert(job: JobEntity): Promise<void> {
    if (job.operation !== null) await this.fence.require();
    if (this.rows.has(job.id)) throw new Error(`duplicate job ${job.id}`);
    this.rows.set(job.id, { ...copy(job), operationOwner: job.operation ? this.me : null });
  }

  async claim(id: string, operation: JobOperation, expectedVersion: number): Promise<boolean> {
    await this.fence.require();
    const row = this.rows.get(id);
    if (!row || row.operation !== null || row.version !== expectedVersion) return false;
    row.operation = operation;
    row.operationOwner = this.me;
    row.version += 1;
    return true;
  }

  async updateHeld(id: string, operation: JobOperation, patch: JobPatch): Promise<boolean> {
    await this.fence.require();
    const row = this.rows.get(id);
    if (!row || row.operation !== operation || row.operationOwner !== this.me) return false;
    Object.assign(row, copy(boundPatch(patch)), { version: row.version + 1 });
    return true;
  }

  async release(
    id: string,
    operation: JobOperation,
    patch: JobPatch = {},
    events: readonly RuleshiftEvent[] = [],
  ): Promise<void> {
    await this.fence.require();
    const row = this.rows.get(id);
    if (row && row.operation === operation && row.operationOwner === this.me) {
      this.outbox.append(events); // first: a refused event leaves the job as it was
      Object.assign(row, copy(boundPatch(patch)), {
        operation: null,
        operationOwner: null,
        version: row.version + 1,
      });
    }
  }

  async updateIdle(
    id: string,
    patch: JobPatch,
    events: readonly RuleshiftEvent[] = [],
    history?: HistoryEntry,
  ): Promise<boolean> {
    await this.fence.require();
    const row = this.rows.get(id);
    if (!row || row.operation !== null) return false;
    this.outbox.append(events);
    Object.assign(row, copy(boundPatch(patch)), { version: row.version + 1 });
    if (history) await this.appendHistory(history);
    return true;
  }

  async adoptOrphans(): Promise<JobEntity[]> {
    await this.fence.require();
    const adopted: JobEntity[] = [];
    for (const row of this.rows.values()) {
      if (row.operation === null || row.operationOwner === this.me) continue;
      row.operationOwner = this.me;
      adopted.push(copy(row));
    }
    return adopted;
  }

  async purgeUninstalledBefore(cutoff: Date, limit: number): Promise<string[]> {
    await this.fence.require();
    const old = [...this.rows.values()]
      .filter((j) => j.status === 'UNINSTALLED' && j.operation === null && j.updatedAt < cutoff)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((j) => j.id);
    for (const id of old) {
      this.rows.delete(id);
      for (let i = this.historyRows.length - 1; i >= 0; i -= 1) {
        if (this.historyRows[i].jobId === id) this.historyRows.splice(i, 1);
      }
      this.onDelete?.(id);
    }
    return old;
  }

  /** Cascade hook (the move fake deletes the job's moves, as the foreign key does). */
  onDelete?: (jobId: string) => void;

  appendHistory(entry: HistoryEntry): Promise<void> {
    this.historyRows.push({
      ...copy(entry),
      reason: boundReason(entry.reason),
      id: this.nextHistoryId,
    });
    const mine = this.historyRows.filter((h) => h.jobId === entry.jobId);
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_HISTORY_PER_JOB))) {
      this.historyRows.splice(this.historyRows.indexOf(old), 1);
    }
    return Promise.resolve();
  }

  history(jobId: string): Promise<JobStatusHistoryEntity[]> {
    return Promise.resolve(this.historyRows.filter((h) => h.jobId === jobId).map(copy));
  }
}

export class InMemoryRuntimeRepository extends RuntimeRepository {
  readonly rows = new Map<string, RuntimeEntity>();

  private key(kind: RuntimeKind, name: string): string {
    return `${kind}/${name}`;
  }

  find(kind: RuntimeKind, targetResource: string): Promise<RuntimeEntity | null> {
    const row = this.rows.get(this.key(kind, targetResource));
    return Promise.resolve(row ? copy(row) : null);
  }

  list(): Promise<RuntimeEntity[]> {
    return Promise.resolve([...this.rows.values()].map(copy));
  }

  upsert(runtime: RuntimeEntity): Promise<void> {
    this.rows.set(this.key(runtime.kind, runtime.targetResource), copy(runtime));
    return Promise.resolve();
  }

  markUnreachableSeenBefore(kind: RuntimeKind, cutoff: Date): Promise<string[]> {
    const names: string[] = [];
    for (const row of this.rows.values()) {
      if (row.kind === kind && row.health === 'UP' && row.lastSeenAt && row.lastSeenAt < cutoff) {
        row.health = 'UNREACHABLE';
        names.push(row.targetResource);
      }
    }
    return Promise.resolve(names);
  }
}

export class InMemoryTemplateRepository extends TemplateRepository {
  readonly rows = new Map<string, TemplateEntity>();

  upsertAll(templates: TemplateEntity[]): Promise<void> {
    for (const t of templates) this.rows.set(`${t.jobType}@${t.version}`, copy(t));
    return Promise.resolve();
  }

  list(): Promise<TemplateEntity[]> {
    return Promise.resolve([...this.rows.values()].map(copy));
  }
}

export class InMemoryMoveOperationRepository extends MoveOperationRepository {
  private readonly fence: InMemoryFence;

  constructor(
    owner: OperationOwner = TEST_OWNER,
    private readonly lease?: RegistryLease,
    readonly rows = new Map<string, MoveOperationEntity>(),
  ) {
    super();
    this.fence = new InMemoryFence(owner, lease);
  }

  forOwner(owner: OperationOwner): InMemoryMoveOperationRepository {
    return new InMemoryMoveOperationRepository(owner, this.lease, this.rows);
  }

  async insert(move: MoveOperationEntity): Promise<void> {
    await this.fence.require();
    const clash = [...this.rows.values()].some(
      (m) => m.jobId === move.jobId && m.state === 'IN_PROGRESS',
    );
    if (clash) throw new Error(`job ${move.jobId} already has a move`);
    this.rows.set(move.id, { ...copy(move), owner: this.fence.owner.current() });
  }

  async update(id: string, patch: MovePatch): Promise<void> {
    await this.fence.require();
    const row = this.rows.get(id);
    if (row && row.owner === this.fence.owner.current()) {
      const error = patch.error === undefined ? {} : { error: boundReason(patch.error) };
      Object.assign(row, copy(patch), error);
    }
  }

  findById(id: string): Promise<MoveOperationEntity | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? copy(row) : null);
  }

  listInProgress(): Promise<MoveOperationEntity[]> {
    return Promise.resolve(
      [...this.rows.values()].filter((m) => m.state === 'IN_PROGRESS').map(copy),
    );
  }

  findInProgressForJob(jobId: string): Promise<MoveOperationEntity | null> {
    const row = [...this.rows.values()].find((m) => m.jobId === jobId && m.state === 'IN_PROGRESS');
    return Promise.resolve(row ? copy(row) : null);
  }

  async adoptOrphans(): Promise<MoveOperationEntity[]> {
    await this.fence.require();
    const me = this.fence.owner.current();
    const adopted: MoveOperationEntity[] = [];
    for (const row of this.rows.values()) {
      if (row.state !== 'IN_PROGRESS' || row.owner === me) continue;
      row.owner = me;
      adopted.push(copy(row));
    }
    return adopted;
  }

  /** Deletes a job's moves (the foreign key's cascade). */
  deleteForJob(jobId: string): void {
    for (const [id, m] of this.rows) if (m.jobId === jobId) this.rows.delete(id);
  }
}

export class FakeDatabaseProbe extends DatabaseProbe {
  failure: Error | null = null;

  ping(): Promise<void> {
    return this.failure ? Promise.reject(this.failure) : Promise.resolve();
  }
}
