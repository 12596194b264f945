export { TemplateCatalog, artifactPathFor } from './template-catalog';
export { DEFAULT_TEMPLATES_DIR } from './default-templates-dir';
export { InvalidTemplateManifest } from './manifest-loader';
