import { row } from './query-row';
import { DataSource, In, Repository, type EntityManager, type UpdateQueryBuilder } from 'typeorm';
import type { RuleshiftEvent, RuntimeKind } from '@ruleshift/contracts';
import { insertOutboxEvents } from '../events/outbox/event-outbox.repository';
import type { JobStatusHistoryEntity } from './entities/job-status-history.entity';
import { JobEntity, type JobOperation } from './entities/job.entity';
import { JobStatusHistoryEntity as HistoryEntity } from './entities/job-status-history.entity';
import type { Page, PageRequest } from './job-page';
import { LeadershipLost, OperationOwner } from './operation-owner';
import { HOLDS_LEASE_SQL, RegistryLease } from './registry-lease';
import { MAX_HISTORY_PER_JOB, boundReason } from './stored-field-limits';

export type JobPatch = Partial<
  Pick<
    JobEntity,
    'status' | 'runtime' | 'targetResource' | 'failureReason' | 'snapshot' | 'updatedAt'
  >
>;
export type HistoryEntry = Omit<JobStatusHistoryEntity, 'id'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const boundPatch = (patch: JobPatch): JobPatch =>
  patch.failureReason === undefined
    ? patch
    : { ...patch, failureReason: boundReason(patch.failureReason) };

/**
 * The job table. Mutations go through claim/release so operations on a job never overlap, and
 * each one is fenced: it happens only while this adapter's term (OperationOwner) holds the
 * registry lease, and the job records that term as its operation's owner.
 */
export abstract class JobRepository {
  abstract findById(id: string): Promise<JobEntity | null>;
  /** Jobs ordered by (createdAt, id), `limit` of them after `request.after`. */
  abstract page(request: PageRequest): Promise<Page<JobEntity>>;
  /** Idle RUNNING jobs placed on one runtime (reconciliation). */
  abstract listRunningOn(runtime: RuntimeKind, targetResource: string): Promise<JobEntity[]>;
  abstract listHeld(): Promise<JobEntity[]>;
  /**
   * Ids of jobs other than `exceptId` that read `queue` on `endpoint` (either input) and are
   * not UNINSTALLED, counting one being installed: whose queue uninstall must not delete.
   */
  abstract findQueueReaders(endpoint: string, queue: string, exceptId: string): Promise<string[]>;
  /** Inserts a job; a held one (install) is owned by the current term. */
  abstract insert(job: JobEntity): Promise<void>;
  /**
   * Compare-and-set: takes the job for `operation` only if nobody holds it and its version is
   * still `expectedVersion`. Returns false when another operation won; throws LeadershipLost
   * when this adapter is not the active one.
   */
  abstract claim(id: string, operation: JobOperation, expectedVersion: number): Promise<boolean>;
  /** Updates a job the caller's term holds (no-op and false when it does not hold it). */
  abstract updateHeld(id: string, operation: JobOperation, patch: JobPatch): Promise<boolean>;
  /**
   * Lets go of the job; `patch` is applied in the same statement, and `events` go to the
   * outbox in the same transaction (only when the release happened).
   */
  abstract release(
    id: string,
    operation: JobOperation,
    patch?: JobPatch,
    events?: readonly RuleshiftEvent[],
  ): Promise<void>;
  /**
   * Updates an idle job (heartbeat-reported failures); false when an operation holds it.
   * `events` go to the outbox and `history` to the job's history in the same transaction when
   * it did update, so no reader sees the new status without its history entry.
   */
  abstract updateIdle(
    id: string,
    patch: JobPatch,
    events?: readonly RuleshiftEvent[],
    history?: HistoryEntry,
  ): Promise<boolean>;
  /**
   * Makes the current term the owner of every held job another term owns (their owner is dead
   * or fenced: this term holds the lease) and returns them, for recovery.
   */
  abstract adoptOrphans(): Promise<JobEntity[]>;
  /** Deletes idle UNINSTALLED jobs last updated before `cutoff` (history and moves cascade). */
  abstract purgeUninstalledBefore(cutoff: Date, limit: number): Promise<string[]>;
  /** Appends a status change and keeps only the newest MAX_HISTORY_PER_JOB of the job. */
  abstract appendHistory(entry: HistoryEntry): Promise<void>;
  abstract history(jobId: string): Promise<JobStatusHistoryEntity[]>;
}

export class TypeormJobRepository extends JobRepository {
  private readonly jobs: Repository<JobEntity>;
  private readonly historyRows: Repository<HistoryEntity>;

  constructor(
    dataSource: DataSource,
    private readonly owner: OperationOwner,
    private readonly lease: RegistryLease,
  ) {
    super();
    this.jobs = dataSource.getRepository(JobEntity);
    this.historyRows = dataSource.getRepository(HistoryEntity);
  }

  async findById(id: string): Promise<JobEntity | null> {
    // Job ids are uuids: anything else cannot name a job, and PostgreSQL would reject the cast.
    if (!UUID.test(id)) return null;
    return this.jobs.findOneBy({ id });
  }

  async page(request: PageRequest): Promise<Page<JobEntity>> {
    const query = this.jobs
      .createQueryBuilder('job')
      .orderBy('job.created_at', 'ASC')
      .addOrderBy('job.id', 'ASC')
      .limit(request.limit + 1);
    if (request.after) {
      query.where('(job.created_at, job.id) > (:at, :id)', {
        at: request.after.createdAt.toISOString(),
        id: request.after.id,
      });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, request.limit);
    const last = items[items.length - 1];
    return rows.length > request.limit && last
      ? { items, next: { createdAt: last.createdAt, id: last.id } }
      : { items };
  }

  listRunningOn(runtime: RuntimeKind, targetResource: string): Promise<JobEntity[]> {
    return this.jobs
      .createQueryBuilder('job')
      .where('job.runtime = :runtime AND job.target_resource = :targetResource', {
        runtime,
        targetResource,
      })
      .andWhere(`job.status = 'RUNNING' AND job.operation IS NULL`)
      .getMany();
  }

  listHeld(): Promise<JobEntity[]> {
    return this.jobs.createQueryBuilder('job').where('job.operation IS NOT NULL').getMany();
  }

  async findQueueReaders(endpoint: string, queue: string, exceptId: string): Promise<string[]> {
    const readers = await this.jobs
      .createQueryBuilder('job')
      .select('job.id', 'id')
      .where("(job.status <> 'UNINSTALLED' OR job.operation IS NOT NULL) AND job.id <> :exceptId")
      .andWhere(
        "((job.config->'connectors'->>'inputEndpoint' = :endpoint" +
          " AND job.config->'connectors'->>'inputQueue' = :queue)" +
          " OR (job.config->'connectors'->'secondInput'->>'endpoint' = :endpoint" +
          " AND job.config->'connectors'->'secondInput'->>'queue' = :queue))",
      )
      .setParameters({ endpoint, queue, exceptId })
      .getRawMany<{ id: string }>();
    return readers.map((r) => r.id);
  }

  async insert(job: JobEntity): Promise<void> {
    const operationOwner = job.operation === null ? null : this.owner.current();
    if (operationOwner !== null) await this.requireLease();
    await this.jobs.insert(row<JobEntity>({ ...job, operationOwner }));
  }

  async claim(id: string, operation: JobOperation, expectedVersion: number): Promise<boolean> {
    // One statement, so it is atomic on PostgreSQL and on single-connection PGlite alike.
    const result = await this.fenced(
      this.jobs
        .createQueryBuilder()
        .update(JobEntity)
        .set({ operation, operationOwner: this.owner.current(), version: () => 'version + 1' })
        .where('id = :id AND operation IS NULL AND version = :expectedVersion', {
          id,
          expectedVersion,
        }),
    ).execute();
    return this.changed(result.affected);
  }

  async updateHeld(id: string, operation: JobOperation, patch: JobPatch): Promise<boolean> {
    const result = await this.fenced(
      this.jobs
        .createQueryBuilder()
        .update(JobEntity)
        .set(row<JobEntity>({ ...boundPatch(patch), version: () => 'version + 1' }))
        .where('id = :id AND operation = :operation AND operation_owner = :owner', {
          id,
          operation,
        }),
    ).execute();
    return this.changed(result.affected);
  }

  async release(
    id: string,
    operation: JobOperation,
    patch: JobPatch = {},
    events: readonly RuleshiftEvent[] = [],
  ): Promise<void> {
    const affected = await this.withEvents(events, (jobs) =>
      this.releaseRow(jobs, id, operation, patch),
    );
    await this.changed(affected);
  }

  private async releaseRow(
    jobs: Repository<JobEntity>,
    id: string,
    operation: JobOperation,
    patch: JobPatch,
  ): Promise<number | undefined> {
    const result = await this.fenced(
      jobs
        .createQueryBuilder()
        .update(JobEntity)
        .set(
          row<JobEntity>({
            ...boundPatch(patch),
            operation: null,
            operationOwner: null,
            version: () => 'version + 1',
          }),
        )
        .where('id = :id AND operation = :operation AND operation_owner = :owner', {
          id,
          operation,
        }),
    ).execute();
    return result.affected;
  }

  async updateIdle(
    id: string,
    patch: JobPatch,
    events: readonly RuleshiftEvent[] = [],
    history?: HistoryEntry,
  ): Promise<boolean> {
    const affected = await this.withEvents(
      events,
      async (jobs) => {
        const result = await this.fenced(
          jobs
            .createQueryBuilder()
            .update(JobEntity)
            .set(row<JobEntity>({ ...boundPatch(patch), version: () => 'version + 1' }))
            .where('id = :id AND operation IS NULL', { id }),
        ).execute();
        return result.affected;
      },
      history,
    );
    return this.changed(affected);
  }

  /**
   * Runs `write` and, when it changed a row, inserts `events` into the outbox and `history`
   * into the job's history in the same transaction; with neither, just `write` on the plain
   * repository.
   */
  private async withEvents(
    events: readonly RuleshiftEvent[],
    write: (jobs: Repository<JobEntity>) => Promise<number | undefined>,
    history?: HistoryEntry,
  ): Promise<number | undefined> {
    if (events.length === 0 && !history) return write(this.jobs);
    return this.jobs.manager.transaction(async (manager: EntityManager) => {
      const affected = await write(manager.getRepository(JobEntity));
      if (affected) {
        await insertOutboxEvents(manager, events);
        if (history) await insertHistory(manager.getRepository(HistoryEntity), history);
      }
      return affected;
    });
  }

  async adoptOrphans(): Promise<JobEntity[]> {
    const orphans = await this.jobs
      .createQueryBuilder('job')
      .select('job.id')
      .where('job.operation IS NOT NULL')
      .andWhere('(job.operation_owner IS NULL OR job.operation_owner <> :owner)', {
        owner: this.owner.current(),
      })
      .getMany();
    if (orphans.length === 0) return [];
    const ids = orphans.map((o) => o.id);
    const result = await this.fenced(
      this.jobs
        .createQueryBuilder()
        .update(JobEntity)
        .set({ operationOwner: this.owner.current() })
        .where('id IN (:...ids) AND operation IS NOT NULL', { ids }),
    ).execute();
    await this.changed(result.affected);
    return this.jobs.findBy({ id: In(ids), operationOwner: this.owner.current() });
  }

  async purgeUninstalledBefore(cutoff: Date, limit: number): Promise<string[]> {
    const old = await this.jobs
      .createQueryBuilder('job')
      .select('job.id')
      .where(`job.status = 'UNINSTALLED' AND job.operation IS NULL AND job.updated_at < :cutoff`, {
        cutoff: cutoff.toISOString(),
      })
      .orderBy('job.updated_at', 'ASC')
      .limit(limit)
      .getMany();
    if (old.length === 0) return [];
    const ids = old.map((o) => o.id);
    const result = await this.jobs
      .createQueryBuilder()
      .delete()
      .from(JobEntity)
      .where(`id IN (:...ids) AND status = 'UNINSTALLED' AND operation IS NULL`, { ids })
      .andWhere(HOLDS_LEASE_SQL, { owner: this.owner.current() })
      .returning('id')
      .execute();
    return ((result.raw ?? []) as { id: string }[]).map((r) => r.id);
  }

  async appendHistory(entry: HistoryEntry): Promise<void> {
    await insertHistory(this.historyRows, entry);
  }

  history(jobId: string): Promise<JobStatusHistoryEntity[]> {
    return this.historyRows.find({ where: { jobId }, order: { id: 'ASC' } });
  }

  private fenced<T extends UpdateQueryBuilder<JobEntity>>(query: T): T {
    return query.andWhere(HOLDS_LEASE_SQL, { owner: this.owner.current() });
  }

  /** A write that changed nothing: lost the race (false), or lost the lease (throws). */
  private async changed(affected: number | undefined): Promise<boolean> {
    if (affected) return true;
    await this.requireLease();
    return false;
  }

  private async requireLease(): Promise<void> {
    if (!(await this.lease.holds(this.owner.current()))) throw new LeadershipLost();
  }
}

/** Appends `entry` and keeps the job's newest MAX_HISTORY_PER_JOB entries. */
async function insertHistory(rows: Repository<HistoryEntity>, entry: HistoryEntry): Promise<void> {
  await rows.insert({ ...entry, reason: boundReason(entry.reason) });
  // Drop everything older than the entry at that rank.
  await rows.query(
    `DELETE FROM job_status_history WHERE job_id = $1 AND id <= (
       SELECT id FROM job_status_history WHERE job_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
    [entry.jobId, MAX_HISTORY_PER_JOB],
  );
}
