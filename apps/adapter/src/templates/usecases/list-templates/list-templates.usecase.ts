import { Inject, Injectable } from '@nestjs/common';
import type { TemplateInfo } from '@ruleshift/contracts';
import { TEMPLATE_CATALOG } from '../../../shared/tokens';
import type { TemplateCatalogPort } from '../../../shared/template-catalog-port';

@Injectable()
export class ListTemplatesUseCase {
  constructor(@Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort) {}

  execute(_request: Record<string, never> = {}): Promise<TemplateInfo[]> {
    return Promise.resolve(this.catalog.list());
  }
}
