import type { ArtifactRef, RuntimeKind, TemplateInfo } from '@ruleshift/contracts';

/**
 * The part of @ruleshift/templates' TemplateCatalog the adapter uses. Typed structurally so use
 * cases can be tested with a small fake and the real catalog is passed in by the host.
 */
export interface TemplateCatalogPort {
  list(): TemplateInfo[];
  get(jobType: string): TemplateInfo;
  resolve(jobType: string, runtime: RuntimeKind): TemplateInfo;
  /** Validates jobProps and returns them resolved (defaults, field addressing) for the config. */
  resolveJobProps(jobType: string, jobProps: unknown): Record<string, unknown>;
  artifact(jobType: string, runtime: RuntimeKind): ArtifactRef;
  readArtifact(
    jobType: string,
    version: string,
    runtime: RuntimeKind,
  ): Promise<{ ref: ArtifactRef; bytes: Buffer; filePath: string }>;
}
