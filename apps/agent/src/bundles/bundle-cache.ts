import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ValidationFailed, type ArtifactRef } from '@ruleshift/contracts';
import { assertSafeName } from '../shared/safe-name';
import type { AtomicFiles } from '../store/atomic-files';
import type { FetchArtifact } from './fetch-artifact';

export const sha256Of = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export type DownloadableArtifact = ArtifactRef & { url: string };

/**
 * OSGi-style bundle cache keyed by content: `<dataDir>/bundles/<jobType>/<version>/<sha256>.js`.
 * A cached bundle is reused without a download (after re-checking its hash, so a corrupted
 * file is fetched again rather than run); a download whose hash differs is refused.
 */
export class BundleCache {
  private readonly root: string;

  constructor(
    private readonly files: AtomicFiles,
    dataDir: string,
    private readonly fetchArtifact: FetchArtifact,
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
    if (await this.isCached(artifact)) return file;
    const data = await this.fetchArtifact(artifact.url);
    const actual = sha256Of(data);
    if (actual !== this.expectedSha(artifact)) {
      throw new ValidationFailed([
        {
          field: 'artifact.sha256',
          reason: `artifact downloaded from ${artifact.url} has sha256 ${actual}, expected ${artifact.sha256}; refused`,
        },
      ]);
    }
    await this.files.write(file, data);
    return file;
  }

  private expectedSha(artifact: ArtifactRef): string {
    const sha = typeof artifact.sha256 === 'string' ? artifact.sha256.toLowerCase() : '';
    if (!/^[0-9a-f]{64}$/.test(sha)) {
      throw new ValidationFailed([{ field: 'artifact.sha256', reason: 'must be 64 hex digits' }]);
    }
    return sha;
  }
}
