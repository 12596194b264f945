import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import type { TemplateManifest } from '@ruleshift/contracts';
import { JobPropsValidator } from './job-props-validator';
import { MANIFEST_SCHEMA } from './manifest-schema';

/** A manifest that passed validation, with where it lives and its compiled jobProps schema. */
export interface LoadedTemplate {
  manifest: TemplateManifest;
  /** Absolute template folder; artifact files are relative to it. */
  folder: string;
  manifestPath: string;
  jobPropsValidator: JobPropsValidator;
}

export class InvalidTemplateManifest extends Error {
  constructor(manifestPath: string, reason: string) {
    super(`invalid template manifest ${manifestPath}: ${reason}`);
    this.name = 'InvalidTemplateManifest';
  }
}

// Typed as a plain boolean check: Ajv's inferred type guard from the const schema is not
// TemplateManifest, and we want the contracts type.
const validateManifestShape: ValidateFunction = new Ajv2020({
  allErrors: true,
  strict: false,
}).compile(MANIFEST_SCHEMA);

/**
 * Reads `<dir>/*\/manifest.json`. Folders without a manifest (e.g. `templates/flink`, the shared
 * Maven project) are skipped; a broken manifest fails the whole load, naming its file, so a
 * bad template is a boot error and not a surprise at install time.
 */
export async function loadTemplates(dir: string): Promise<LoadedTemplate[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const loaded: LoadedTemplate[] = [];
  const byJobType = new Map<string, string>();
  for (const entry of entries
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = join(dir, entry.name);
    const manifestPath = join(folder, 'manifest.json');
    const text = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) continue;
    const template = parseManifest(text, folder, manifestPath);
    const previous = byJobType.get(template.manifest.jobType);
    if (previous !== undefined) {
      throw new InvalidTemplateManifest(
        manifestPath,
        `jobType "${template.manifest.jobType}" is already declared by ${previous}`,
      );
    }
    byJobType.set(template.manifest.jobType, manifestPath);
    loaded.push(template);
  }
  return loaded;
}

export function parseManifest(text: string, folder: string, manifestPath: string): LoadedTemplate {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidTemplateManifest(manifestPath, `not JSON (${(error as Error).message})`);
  }
  if (!validateManifestShape(json)) {
    const reasons = (validateManifestShape.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`,
    );
    throw new InvalidTemplateManifest(manifestPath, reasons.join('; '));
  }
  const manifest = json as TemplateManifest;
  for (const runtime of manifest.runtimes) {
    if (!manifest.artifacts[runtime]) {
      throw new InvalidTemplateManifest(manifestPath, `runtime "${runtime}" has no artifact`);
    }
  }
  let jobPropsValidator: JobPropsValidator;
  try {
    jobPropsValidator = new JobPropsValidator(manifest.jobPropsSchema);
  } catch (error) {
    throw new InvalidTemplateManifest(
      manifestPath,
      `jobPropsSchema does not compile (${(error as Error).message})`,
    );
  }
  return { manifest, folder, manifestPath, jobPropsValidator };
}
