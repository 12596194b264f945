import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminTokenStore } from './admin-token-store';

describe('AdminTokenStore (first admin token of npm start)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-admin-token-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates one, keeps it with mode 0600, and reuses it on the next start', async () => {
    const first = await new AdminTokenStore(dataDir).resolve(undefined);
    expect(first.source).toBe('generated');
    expect(first.token).toMatch(/^rs_[A-Za-z0-9_-]{43}$/);
    const file = join(dataDir, 'admin-token');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.token);
    const second = await new AdminTokenStore(dataDir).resolve(undefined);
    expect(second).toEqual({ token: first.token, source: 'file', path: file });
  });

  it('creates the data dir on a fresh clone (no .data yet), as npm start meets it', async () => {
    const fresh = join(dataDir, 'not-yet', '.data');
    const token = await new AdminTokenStore(fresh).resolve(undefined);
    expect(token.source).toBe('generated');
    expect((await readFile(join(fresh, 'admin-token'), 'utf8')).trim()).toBe(token.token);
  });

  it('RULESHIFT_ADMIN_TOKEN wins and writes nothing', async () => {
    await writeFile(join(dataDir, 'admin-token'), 'rs_kept-token-0123456789abcdef\n');
    const fromEnv = await new AdminTokenStore(dataDir).resolve('rs_env-token-0123456789abcdef');
    expect(fromEnv.source).toBe('environment');
    expect(fromEnv.token).toBe('rs_env-token-0123456789abcdef');
    expect((await readFile(join(dataDir, 'admin-token'), 'utf8')).trim()).toBe(
      'rs_kept-token-0123456789abcdef',
    );
  });
});
