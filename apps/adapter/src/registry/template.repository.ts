import { row } from './query-row';
import { DataSource, Repository } from 'typeorm';
import { TemplateEntity } from './entities/template.entity';

export abstract class TemplateRepository {
  abstract upsertAll(templates: TemplateEntity[]): Promise<void>;
  abstract list(): Promise<TemplateEntity[]>;
}

export class TypeormTemplateRepository extends TemplateRepository {
  private readonly templates: Repository<TemplateEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.templates = dataSource.getRepository(TemplateEntity);
  }

  async upsertAll(templates: TemplateEntity[]): Promise<void> {
    if (templates.length === 0) return;
    await this.templates.upsert(row<TemplateEntity>(templates), ['jobType', 'version']);
  }

  list(): Promise<TemplateEntity[]> {
    return this.templates.find({ order: { jobType: 'ASC', version: 'ASC' } });
  }
}
