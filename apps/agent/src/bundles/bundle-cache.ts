import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { artifactSignatureValid, type VerifyKey } from '@ruleshift/identity';
import { ValidationFailed, type ArtifactRef } from '@ruleshift/contracts';
import { adapterBaseUrls } from '../shared/adapter-urls';
import { assertSafeName } from '../shared/safe-name';
import type { AtomicFiles } from '../store/atomic-files';
import type { FetchArtifact } from './fetch-artifact';

export const sha256Of = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export type DownloadableArtifact = ArtifactRef & { url?: string; signature?: string };

/** Whom the agent takes code from: the adapter it enrolled with, at its configured URL. */
export interface ArtifactTrust {
  /** The adapter key pinned at enrolment. */
  adapterKey: VerifyKey;
  /** AGENT_ADAPTER_URL (one URL or a comma-separated list): the only places code comes from. */
  adapterUrl: string;
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * OSGi-style bundle cache keyed by content: `<dataDir>/bundles/<jobType>/<version>/<sha256>.js`.
 * Before any code is loaded, cached or not, the artifact's (jobType, version, sha256) must
 * carry the pinned adapter key's signature; downloads come only from the configured adapter
 * URL (a command naming another host is refused), and one whose hash differs is refused. A
 * cached bundle is reused after re-checking its hash, so a corrupted file is fetched again.
 */
export class BundleCache {
  private readonly root: string;

  constructor(
    private readonly files: AtomicFiles,
    dataDir: string,
    private readonly fetchArtifact: FetchArtifact,
    private readonly trust: ArtifactTrust,
  ) {
    this.root = path.join(dataDir, 'bundles');
  }

  pathFor(artifact: ArtifactRef): string {
    return path.join(
      this.root,
      assertSafeName(artifact.jobType, 'artifact.jobType'),
      assertSafeName(artifact.version, 'artifact.version'),
      `${this.expectedSha(artifact)}.js`,
    );
  }

  /** Whether the bundle is on disk with the right hash (no download). */
  async isCached(artifact: ArtifactRef): Promise<boolean> {
    const data = await this.files.read(this.pathFor(artifact));
    return data !== undefined && sha256Of(data) === this.expectedSha(artifact);
  }

  /** Returns the local path of the bundle, downloading it only when it is not cached. */
  async ensure(artifact: DownloadableArtifact): Promise<string> {
    const file = this.pathFor(artifact);
    this.assertSigned(artifact);
    const base = this.assertOwnAdapter(artifact);
    if (await this.isCached(artifact)) return file;
    const url = this.downloadUrl(base, artifact);
    const data = await this.fetchArtifact(url);
    const actual = sha256Of(data);
    if (actual !== this.expectedSha(artifact)) {
      throw new ValidationFailed([
        {
          field: 'artifact.sha256',
          reason: `artifact downloaded from ${url} has sha256 ${actual}, expected ${artifact.sha256} (tampered); refused`,
        },
      ]);
    }
    await this.files.write(file, data);
    return file;
  }

  private assertSigned(artifact: DownloadableArtifact): void {
    if (!artifactSignatureValid(this.trust.adapterKey, artifact, artifact.signature)) {
      throw new ValidationFailed([
        {
          field: 'artifact.signature',
          reason: `artifact ${artifact.jobType} ${artifact.version} (sha256 ${artifact.sha256}) is not signed by the pinned adapter key; refused`,
        },
      ]);
    }
  }

  /** The configured adapter base URL the artifact comes from; refuses a URL from elsewhere. */
  private assertOwnAdapter(artifact: DownloadableArtifact): string {
    const bases = adapterBaseUrls(this.trust.adapterUrl);
    if (artifact.url === undefined) return bases[0];
    const origin = originOf(artifact.url);
    const base = bases.find((candidate) => originOf(candidate) === origin);
    if (base === undefined) {
      throw new ValidationFailed([
        {
          field: 'artifact.url',
          reason: `${artifact.url} is not this agent's adapter (${this.trust.adapterUrl}); refused`,
        },
      ]);
    }
    return base;
  }

  /** Built from the configured adapter URL and the signed names, never from the message's URL. */
  private downloadUrl(base: string, artifact: ArtifactRef): string {
    return `${base}/artifacts/${encodeURIComponent(artifact.jobType)}/${encodeURIComponent(artifact.version)}/edge`;
  }

  private expectedSha(artifact: ArtifactRef): string {
    const sha = typeof artifact.sha256 === 'string' ? artifact.sha256.toLowerCase() : '';
    if (!/^[0-9a-f]{64}$/.test(sha)) {
      throw new ValidationFailed([{ field: 'artifact.sha256', reason: 'must be 64 hex digits' }]);
    }
    return sha;
  }
}
