import { promises as fsp } from 'node:fs';

/** The few filesystem calls the agent makes; tests swap one in to simulate a crash mid-write. */
export interface FileSystemPort {
  /** Creates `dir` and its missing parents; returns the first directory it created, if any. */
  mkdir(dir: string): Promise<string | undefined>;
  /** Writes and fsyncs, so the bytes are on disk before the rename that publishes them. */
  writeFileSynced(file: string, data: Buffer | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** fsyncs a directory, so the entries created or renamed in it survive a power cut. */
  syncDir(dir: string): Promise<void>;
  /** undefined when the file does not exist. */
  readFile(file: string): Promise<Buffer | undefined>;
  readdir(dir: string): Promise<string[]>;
  remove(file: string): Promise<void>;
}

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === 'ENOENT';

export const nodeFileSystem: FileSystemPort = {
  mkdir(dir) {
    return fsp.mkdir(dir, { recursive: true });
  },
  async writeFileSynced(file, data) {
    const handle = await fsp.open(file, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async rename(from, to) {
    await fsp.rename(from, to);
  },
  async syncDir(dir) {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async readFile(file) {
    try {
      return await fsp.readFile(file);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  async readdir(dir) {
    try {
      return await fsp.readdir(dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },
  async remove(file) {
    await fsp.rm(file, { force: true });
  },
};
