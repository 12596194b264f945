import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export interface FileDigest {
  sha256: string;
  size: number;
}

interface CachedDigest extends FileDigest {
  mtimeMs: number;
}

/**
 * sha256 of artifact files, cached by (mtime, size) so a rebuilt artifact (e.g. `mvn package`
 * while the adapter runs) is re-hashed, and an unchanged one is hashed once.
 */
export class ArtifactHasher {
  private readonly cache = new Map<string, CachedDigest>();

  /** Returns null when the file does not exist. */
  digest(filePath: string): FileDigest | null {
    const stat = statSync(filePath, { throwIfNoEntry: false });
    if (!stat?.isFile()) return null;
    const cached = this.cache.get(filePath);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
      return { sha256: cached.sha256, size: cached.size };
    }
    const bytes = readFileSync(filePath);
    return this.remember(filePath, bytes, stat.mtimeMs);
  }

  /** Digest of bytes just read, recorded for the file's current mtime. */
  digestBytes(filePath: string, bytes: Buffer, mtimeMs: number): FileDigest {
    return this.remember(filePath, bytes, mtimeMs);
  }

  private remember(filePath: string, bytes: Buffer, mtimeMs: number): FileDigest {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.cache.set(filePath, { sha256, size: bytes.length, mtimeMs });
    return { sha256, size: bytes.length };
  }
}
