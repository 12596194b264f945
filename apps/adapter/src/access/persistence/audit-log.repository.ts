import { DataSource, LessThan, type Repository } from 'typeorm';
import { AuditEntryEntity } from './audit-entry.entity';

export abstract class AuditLogRepository {
  abstract append(entry: Omit<AuditEntryEntity, 'id'>): Promise<AuditEntryEntity>;
  /** Newest first, at most `limit`, only ids below `before` when given. */
  abstract page(limit: number, before?: string): Promise<AuditEntryEntity[]>;
}

export class TypeormAuditLogRepository extends AuditLogRepository {
  private readonly entries: Repository<AuditEntryEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.entries = dataSource.getRepository(AuditEntryEntity);
  }

  async append(entry: Omit<AuditEntryEntity, 'id'>): Promise<AuditEntryEntity> {
    const saved = await this.entries.save(this.entries.create(entry));
    return { ...saved, id: String(saved.id) };
  }

  page(limit: number, before?: string): Promise<AuditEntryEntity[]> {
    return this.entries.find({
      where: before === undefined ? {} : { id: LessThan(before) },
      order: { id: 'DESC' },
      take: limit,
    });
  }
}
