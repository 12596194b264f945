import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock';
import { TEMPLATE_CATALOG } from '../../../shared/tokens';
import type { TemplateCatalogPort } from '../../../shared/template-catalog-port';
import { TemplateRepository } from '../../../registry/template.repository';

/** At boot: records the catalog's templates in the registry (what was offered, and when). */
@Injectable()
export class SyncTemplateCatalogUseCase {
  constructor(
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(TemplateRepository) private readonly templates: TemplateRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    const syncedAt = this.clock.now();
    const rows = this.catalog.list().map((manifest) => ({
      jobType: manifest.jobType,
      version: manifest.version,
      manifest,
      syncedAt,
    }));
    await this.templates.upsertAll(rows);
    return rows.length;
  }
}
