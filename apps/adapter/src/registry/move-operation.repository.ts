import { row } from './query-row';
import { DataSource, Repository } from 'typeorm';
import { MoveOperationEntity } from './entities/move-operation.entity';

export type MovePatch = Partial<
  Pick<MoveOperationEntity, 'step' | 'snapshot' | 'state' | 'error' | 'updatedAt'>
>;

export abstract class MoveOperationRepository {
  abstract insert(move: MoveOperationEntity): Promise<void>;
  abstract update(id: string, patch: MovePatch): Promise<void>;
  abstract findById(id: string): Promise<MoveOperationEntity | null>;
  abstract listInProgress(): Promise<MoveOperationEntity[]>;
  abstract findInProgressForJob(jobId: string): Promise<MoveOperationEntity | null>;
}

export class TypeormMoveOperationRepository extends MoveOperationRepository {
  private readonly moves: Repository<MoveOperationEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.moves = dataSource.getRepository(MoveOperationEntity);
  }

  async insert(move: MoveOperationEntity): Promise<void> {
    await this.moves.insert(row<MoveOperationEntity>(move));
  }

  async update(id: string, patch: MovePatch): Promise<void> {
    await this.moves.update({ id }, row<MoveOperationEntity>(patch));
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
}
