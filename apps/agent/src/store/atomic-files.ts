import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { FileSystemPort } from './file-system';

/** Suffix of in-progress writes; readers ignore such files (a crash may leave one behind). */
export const TEMP_SUFFIX = '.tmp';

/**
 * Write-temp, fsync, rename, fsync the directory: a reader (or the agent after a power cut)
 * sees either the old file or the new one, never a torn write. The rename lives in the
 * directory, not in the file: until the directory is synced a power cut can bring back the
 * old entry (or no entry, for a new file or a directory just created).
 */
export class AtomicFiles {
  constructor(private readonly fs: FileSystemPort) {}

  async write(file: string, data: Buffer | string): Promise<void> {
    const dir = path.dirname(file);
    await this.createDir(dir);
    const temp = `${file}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    try {
      await this.fs.writeFileSynced(temp, data);
      await this.fs.rename(temp, file);
    } catch (error) {
      await this.fs.remove(temp).catch(() => undefined);
      throw error;
    }
    await this.fs.syncDir(dir);
  }

  /** Creates what is missing of `dir` and syncs the parent of each directory it created. */
  private async createDir(dir: string): Promise<void> {
    const first = await this.fs.mkdir(dir);
    if (first === undefined) return;
    const created: string[] = [];
    for (let current = dir; ; current = path.dirname(current)) {
      created.push(current);
      if (current === first || path.dirname(current) === current) break;
    }
    // Outermost first: each new entry is durable before the ones inside it.
    for (const directory of created.reverse()) await this.fs.syncDir(path.dirname(directory));
  }

  async writeJson(file: string, value: unknown): Promise<void> {
    await this.write(file, `${JSON.stringify(value, null, 2)}\n`);
  }

  read(file: string): Promise<Buffer | undefined> {
    return this.fs.readFile(file);
  }

  async readJson<T>(file: string): Promise<T | undefined> {
    const data = await this.fs.readFile(file);
    return data === undefined ? undefined : (JSON.parse(data.toString('utf8')) as T);
  }

  /** Finished `.json` files of a folder, by name; temp files of interrupted writes are skipped. */
  async listJson(dir: string): Promise<string[]> {
    const names = await this.fs.readdir(dir);
    return names.filter((name) => name.endsWith('.json')).sort();
  }

  remove(file: string): Promise<void> {
    return this.fs.remove(file);
  }
}
