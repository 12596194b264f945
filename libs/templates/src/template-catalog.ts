import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  NotFound,
  RuntimeUnavailable,
  ValidationFailed,
  type ArtifactRef,
  type RuntimeKind,
  type TemplateInfo,
  type TemplateManifest,
} from '@ruleshift/contracts';
import { ArtifactHasher } from './artifact-hasher';
import { loadTemplates, type LoadedTemplate } from './manifest-loader';

/** Path on the adapter's HTTP server where an artifact is downloaded from. */
export const artifactPathFor = (jobType: string, version: string, runtime: RuntimeKind): string =>
  `/artifacts/${encodeURIComponent(jobType)}/${encodeURIComponent(version)}/${runtime}`;

/**
 * The template repository: manifests, their jobProps schemas and their artifacts. Adding a
 * template is adding a folder; nothing here knows a template by name.
 */
export class TemplateCatalog {
  private readonly hasher = new ArtifactHasher();

  private constructor(private readonly templates: ReadonlyMap<string, LoadedTemplate>) {}

  static async load(dir: string): Promise<TemplateCatalog> {
    const loaded = await loadTemplates(dir);
    return new TemplateCatalog(new Map(loaded.map((t) => [t.manifest.jobType, t])));
  }

  list(): TemplateInfo[] {
    return [...this.templates.keys()].map((jobType) => this.get(jobType));
  }

  /** Artifacts not built yet (e.g. the Flink jar before `mvn package`) are left out. */
  get(jobType: string): TemplateInfo {
    const { manifest } = this.template(jobType);
    const artifacts: TemplateInfo['artifacts'] = {};
    for (const runtime of manifest.runtimes) {
      const ref = this.artifactOrNull(jobType, runtime);
      if (ref) artifacts[runtime] = ref;
    }
    return {
      jobType: manifest.jobType,
      version: manifest.version,
      description: manifest.description,
      runtimes: [...manifest.runtimes],
      inputs: manifest.inputs,
      stateful: manifest.stateful,
      jobPropsSchema: manifest.jobPropsSchema,
      artifacts,
    };
  }

  /** The manifest as written (e.g. the Flink artifact's `entryClass`). */
  manifest(jobType: string): TemplateManifest {
    return this.template(jobType).manifest;
  }

  resolve(jobType: string, runtime: RuntimeKind): TemplateInfo {
    const info = this.get(jobType);
    if (!info.runtimes.includes(runtime)) {
      throw new ValidationFailed([
        {
          field: 'headers.runtime',
          reason: `template ${jobType} does not support runtime ${runtime} (supports: ${info.runtimes.join(', ')})`,
        },
      ]);
    }
    return info;
  }

  /** Validated jobProps with defaults and field addressing resolved (JobPropsValidator.resolve). */
  resolveJobProps(jobType: string, jobProps: unknown): Record<string, unknown> {
    return this.template(jobType).jobPropsValidator.resolve(jobProps);
  }

  artifact(jobType: string, runtime: RuntimeKind): ArtifactRef {
    this.resolve(jobType, runtime);
    const ref = this.artifactOrNull(jobType, runtime);
    if (!ref) {
      throw new RuntimeUnavailable(
        'headers.runtime',
        `artifact not built: ${this.artifactFile(jobType, runtime)}`,
      );
    }
    return ref;
  }

  async readArtifact(
    jobType: string,
    version: string,
    runtime: RuntimeKind,
  ): Promise<{ ref: ArtifactRef; bytes: Buffer; filePath: string }> {
    const template = this.templates.get(jobType);
    if (!template) throw new NotFound('jobType', `no template named ${jobType}`);
    const { manifest } = template;
    if (manifest.version !== version) {
      throw new NotFound(
        'version',
        `template ${jobType} has version ${manifest.version}, not ${version}`,
      );
    }
    if (!manifest.runtimes.includes(runtime)) {
      throw new NotFound('runtime', `template ${jobType} has no ${runtime} artifact`);
    }
    const filePath = this.artifactFile(jobType, runtime);
    const fileStat = await stat(filePath).catch(() => null);
    if (!fileStat?.isFile()) throw new NotFound('runtime', `artifact not built: ${filePath}`);
    const bytes = await readFile(filePath);
    // Hash the bytes actually served, so the ref always matches the body.
    const digest = this.hasher.digestBytes(filePath, bytes, fileStat.mtimeMs);
    return { ref: this.refFor(template, runtime, digest.sha256, digest.size), bytes, filePath };
  }

  private artifactOrNull(jobType: string, runtime: RuntimeKind): ArtifactRef | null {
    const template = this.template(jobType);
    const digest = this.hasher.digest(this.artifactFile(jobType, runtime));
    return digest ? this.refFor(template, runtime, digest.sha256, digest.size) : null;
  }

  private refFor(
    template: LoadedTemplate,
    runtime: RuntimeKind,
    sha256: string,
    size: number,
  ): ArtifactRef {
    const { jobType, version } = template.manifest;
    return {
      jobType,
      version,
      runtime,
      sha256,
      size,
      path: artifactPathFor(jobType, version, runtime),
    };
  }

  private artifactFile(jobType: string, runtime: RuntimeKind): string {
    const template = this.template(jobType);
    const artifact = template.manifest.artifacts[runtime];
    if (!artifact)
      throw new NotFound('headers.runtime', `template ${jobType} has no ${runtime} artifact`);
    return resolve(template.folder, artifact.file);
  }

  private template(jobType: string): LoadedTemplate {
    const template = this.templates.get(jobType);
    if (!template) {
      throw new NotFound(
        'headers.jobType',
        `no template named ${jobType} (known: ${[...this.templates.keys()].join(', ') || 'none'})`,
      );
    }
    return template;
  }
}
