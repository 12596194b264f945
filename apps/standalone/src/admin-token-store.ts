import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mintApiKeySecret } from '@ruleshift/proxy';

export type AdminTokenSource = 'environment' | 'file' | 'generated';

export interface AdminToken {
  token: string;
  source: AdminTokenSource;
  /** `<dataDir>/admin-token`. */
  path: string;
}

/**
 * The first admin token of `npm start`: RULESHIFT_ADMIN_TOKEN when set; otherwise the one kept
 * in `<dataDir>/admin-token` by an earlier start; otherwise a new random one written there
 * with mode 0600 (created exclusively: two starts at once cannot both write one).
 */
export class AdminTokenStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'admin-token');
  }

  async resolve(fromEnvironment: string | undefined): Promise<AdminToken> {
    if (fromEnvironment) return { token: fromEnvironment, source: 'environment', path: this.path };
    const kept = await this.read();
    if (kept) return { token: kept, source: 'file', path: this.path };
    const token = mintApiKeySecret();
    // The first thing `npm start` writes: on a fresh clone the data dir does not exist yet.
    await mkdir(dirname(this.path), { recursive: true });
    try {
      await writeFile(this.path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const raced = await this.read();
      if (raced) return { token: raced, source: 'file', path: this.path };
      throw error;
    }
    return { token, source: 'generated', path: this.path };
  }

  private async read(): Promise<string | null> {
    try {
      const content = (await readFile(this.path, 'utf8')).trim();
      return content === '' ? null : content;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
