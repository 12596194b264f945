import { row } from './query-row';
import { DataSource, Repository } from 'typeorm';
import { MoveOperationEntity } from './entities/move-operation.entity';
import { LeadershipLost, OperationOwner } from './operation-owner';
import { HOLDS_LEASE_SQL, RegistryLease } from './registry-lease';
import { boundReason } from './stored-field-limits';

export type MovePatch = Partial<
  Pick<MoveOperationEntity, 'step' | 'snapshot' | 'state' | 'error' | 'updatedAt'>
>;

/**
 * Persisted moves. Like jobs, every write is fenced on the current term holding the registry
 * lease, and a move records that term as its owner: a successor adopts only other terms' moves.
 */
export abstract class MoveOperationRepository {
  /** Inserts a move owned by the current term. */
  abstract insert(move: MoveOperationEntity): Promise<void>;
  /** Updates a move the current term owns; throws LeadershipLost when fenced off. */
  abstract update(id: string, patch: MovePatch): Promise<void>;
  abstract findById(id: string): Promise<MoveOperationEntity | null>;
  abstract listInProgress(): Promise<MoveOperationEntity[]>;
  abstract findInProgressForJob(jobId: string): Promise<MoveOperationEntity | null>;
  /** Takes over every IN_PROGRESS move another (dead or fenced) term owns; returns them. */
  abstract adoptOrphans(): Promise<MoveOperationEntity[]>;
}

const bound = (patch: MovePatch): MovePatch =>
  patch.error === undefined ? patch : { ...patch, error: boundReason(patch.error) };

export class TypeormMoveOperationRepository extends MoveOperationRepository {
  private readonly moves: Repository<MoveOperationEntity>;

  constructor(
    dataSource: DataSource,
    private readonly owner: OperationOwner,
    private readonly lease: RegistryLease,
  ) {
    super();
    this.moves = dataSource.getRepository(MoveOperationEntity);
  }

  async insert(move: MoveOperationEntity): Promise<void> {
    await this.requireLease();
    await this.moves.insert(row<MoveOperationEntity>({ ...move, owner: this.owner.current() }));
  }

  async update(id: string, patch: MovePatch): Promise<void> {
    const result = await this.moves
      .createQueryBuilder()
      .update(MoveOperationEntity)
      .set(row<MoveOperationEntity>(bound(patch)))
      .where('id = :id AND owner = :owner', { id })
      .andWhere(HOLDS_LEASE_SQL, { owner: this.owner.current() })
      .execute();
    if (!result.affected) await this.requireLease();
  }

  findById(id: string): Promise<MoveOperationEntity | null> {
    return this.moves.findOneBy({ id });
  }

  listInProgress(): Promise<MoveOperationEntity[]> {
    return this.moves.find({ where: { state: 'IN_PROGRESS' }, order: { createdAt: 'ASC' } });
  }

  findInProgressForJob(jobId: string): Promise<MoveOperationEntity | null> {
    return this.moves.findOneBy({ jobId, state: 'IN_PROGRESS' });
  }

  async adoptOrphans(): Promise<MoveOperationEntity[]> {
    const me = this.owner.current();
    const result = await this.moves
      .createQueryBuilder()
      .update(MoveOperationEntity)
      .set({ owner: me })
      .where(`state = 'IN_PROGRESS' AND (owner IS NULL OR owner <> :owner)`)
      .andWhere(HOLDS_LEASE_SQL, { owner: me })
      .returning('id')
      .execute();
    if (!result.affected) {
      await this.requireLease();
      return [];
    }
    const ids = new Set(((result.raw ?? []) as { id: string }[]).map((r) => r.id));
    return (await this.listInProgress()).filter((m) => ids.has(m.id));
  }

  private async requireLease(): Promise<void> {
    if (!(await this.lease.holds(this.owner.current()))) throw new LeadershipLost();
  }
}
