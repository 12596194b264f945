export { TemplateCatalog, artifactPathFor } from './template-catalog';
export { DEFAULT_TEMPLATES_DIR, findRepoRoot } from './default-templates-dir';
export { InvalidTemplateManifest } from './manifest-loader';
