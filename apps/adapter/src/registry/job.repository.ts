import { row } from './query-row';
import { DataSource, Repository } from 'typeorm';
import type { JobStatusHistoryEntity } from './entities/job-status-history.entity';
import { JobEntity, type JobOperation } from './entities/job.entity';
import { JobStatusHistoryEntity as HistoryEntity } from './entities/job-status-history.entity';

export type JobPatch = Partial<
  Pick<
    JobEntity,
    'status' | 'runtime' | 'targetResource' | 'failureReason' | 'snapshot' | 'updatedAt'
  >
>;
export type HistoryEntry = Omit<JobStatusHistoryEntity, 'id'>;

/** The job table. Mutations go through claim/release so operations on a job never overlap. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export abstract class JobRepository {
  abstract findById(id: string): Promise<JobEntity | null>;
  abstract list(): Promise<JobEntity[]>;
  abstract listHeld(): Promise<JobEntity[]>;
  /**
   * Ids of jobs other than `exceptId` that read `queue` on `endpoint` (either input) and are
   * not UNINSTALLED, counting one being installed: whose queue uninstall must not delete.
   */
  abstract findQueueReaders(endpoint: string, queue: string, exceptId: string): Promise<string[]>;
  abstract insert(job: JobEntity): Promise<void>;
  /**
   * Compare-and-set: takes the job for `operation` only if nobody holds it and its version is
   * still `expectedVersion`. Returns false when another operation won.
   */
  abstract claim(id: string, operation: JobOperation, expectedVersion: number): Promise<boolean>;
  /** Updates a job the caller holds (no-op and false when it does not hold it). */
  abstract updateHeld(id: string, operation: JobOperation, patch: JobPatch): Promise<boolean>;
  /** Lets go of the job; `patch` is applied in the same statement. */
  abstract release(id: string, operation: JobOperation, patch?: JobPatch): Promise<void>;
  /** Updates an idle job (heartbeat-reported failures); false when an operation holds it. */
  abstract updateIdle(id: string, patch: JobPatch): Promise<boolean>;
  abstract appendHistory(entry: HistoryEntry): Promise<void>;
  abstract history(jobId: string): Promise<JobStatusHistoryEntity[]>;
}

export class TypeormJobRepository extends JobRepository {
  private readonly jobs: Repository<JobEntity>;
  private readonly historyRows: Repository<HistoryEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.jobs = dataSource.getRepository(JobEntity);
    this.historyRows = dataSource.getRepository(HistoryEntity);
  }

  async findById(id: string): Promise<JobEntity | null> {
    // Job ids are uuids: anything else cannot name a job, and PostgreSQL would reject the cast.
    if (!UUID.test(id)) return null;
    return this.jobs.findOneBy({ id });
  }

  list(): Promise<JobEntity[]> {
    return this.jobs.find({ order: { createdAt: 'ASC' } });
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
    await this.jobs.insert(row<JobEntity>(job));
  }

  async claim(id: string, operation: JobOperation, expectedVersion: number): Promise<boolean> {
    // One statement, so it is atomic on PostgreSQL and on single-connection PGlite alike.
    const result = await this.jobs
      .createQueryBuilder()
      .update(JobEntity)
      .set({ operation, version: () => 'version + 1' })
      .where('id = :id AND operation IS NULL AND version = :expectedVersion', {
        id,
        expectedVersion,
      })
      .execute();
    return result.affected === 1;
  }

  async updateHeld(id: string, operation: JobOperation, patch: JobPatch): Promise<boolean> {
    const result = await this.jobs
      .createQueryBuilder()
      .update(JobEntity)
      .set(row<JobEntity>({ ...patch, version: () => 'version + 1' }))
      .where('id = :id AND operation = :operation', { id, operation })
      .execute();
    return result.affected === 1;
  }

  async release(id: string, operation: JobOperation, patch: JobPatch = {}): Promise<void> {
    await this.jobs
      .createQueryBuilder()
      .update(JobEntity)
      .set(row<JobEntity>({ ...patch, operation: null, version: () => 'version + 1' }))
      .where('id = :id AND operation = :operation', { id, operation })
      .execute();
  }

  async updateIdle(id: string, patch: JobPatch): Promise<boolean> {
    const result = await this.jobs
      .createQueryBuilder()
      .update(JobEntity)
      .set(row<JobEntity>({ ...patch, version: () => 'version + 1' }))
      .where('id = :id AND operation IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  async appendHistory(entry: HistoryEntry): Promise<void> {
    await this.historyRows.insert(entry);
  }

  history(jobId: string): Promise<JobStatusHistoryEntity[]> {
    return this.historyRows.find({ where: { jobId }, order: { id: 'ASC' } });
  }
}
