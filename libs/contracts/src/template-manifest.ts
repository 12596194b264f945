import type { RuntimeKind } from './job';

/**
 * `templates/<jobType>/manifest.json`. A template is added by adding a folder: nothing in
 * apps/ changes.
 */
export interface TemplateManifest {
  jobType: string;
  version: string;
  description: string;
  runtimes: RuntimeKind[];
  /** Number of input connectors the template reads (1, or 2 for joins). */
  inputs: 1 | 2;
  /** JSON Schema (draft 2020-12 subset Ajv understands) of `jobProps`. */
  jobPropsSchema: Record<string, unknown>;
  /** Whether the rule keeps state that can move with it (windows, joins). */
  stateful: boolean;
  /** Per runtime: the artifact file, relative to the template folder. */
  artifacts: Partial<Record<RuntimeKind, { file: string; entryClass?: string }>>;
}

/** What the adapter's catalog says about a template (`GET /api/templates`). */
export interface TemplateInfo {
  jobType: string;
  version: string;
  description: string;
  runtimes: RuntimeKind[];
  inputs: 1 | 2;
  stateful: boolean;
  jobPropsSchema: Record<string, unknown>;
  artifacts: Partial<Record<RuntimeKind, ArtifactRef>>;
}

/** A downloadable artifact, addressed by content: agents cache by (jobType, version, sha256). */
export interface ArtifactRef {
  jobType: string;
  version: string;
  runtime: RuntimeKind;
  sha256: string;
  size: number;
  /** Path on the adapter's HTTP server, e.g. `/artifacts/filter/1.0.0/edge`. */
  path: string;
}
