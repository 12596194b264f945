import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * PostgreSQL settings of the embedded registry (PGlite), on top of PGlite's own start
 * parameters. PGlite's initdb writes `shared_buffers = 128MB`, and those pages end up resident
 * in the WebAssembly memory; a registry of a few hundred rows needs a fraction of that.
 * `docs/decisions.md` ("The embedded registry stays PGlite, with 16 MB of shared buffers") has
 * the figures.
 */
export const EMBEDDED_POSTGRES_SETTINGS: readonly string[] = ['-c', 'shared_buffers=16MB'];

/**
 * Runs PGlite's initdb for `pgDataDir` in a child Node process when the folder holds no
 * database yet. In-process, initdb leaves ~450 MB resident for good (a second WebAssembly
 * instance and a tar image of the new cluster that the process never gives back); in a child
 * that memory goes away with the child, and the server opens a ready folder as on any restart.
 */
export class EmbeddedDatabaseInitialiser {
  /** `resolveFrom`: the folder PGlite is resolved from (node_modules lookup), as `require` would. */
  constructor(private readonly resolveFrom: string) {}

  async ensureInitialised(pgDataDir: string): Promise<void> {
    if (await exists(join(pgDataDir, 'PG_VERSION'))) return;
    const options = {
      startParams: EMBEDDED_POSTGRES_SETTINGS,
      initDbStartParams: EMBEDDED_POSTGRES_SETTINGS,
    };
    await promisify(execFile)(
      process.execPath,
      ['-e', INITDB_SCRIPT, this.resolveFrom, pgDataDir, JSON.stringify(options)],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(`embedded registry: initdb in ${pgDataDir} failed: ${error.stderr ?? error}`);
    });
  }
}

/** argv: folder to resolve PGlite from, data dir, PGlite options as JSON. Create = initdb. */
const INITDB_SCRIPT = `
const [resolveFrom, dataDir, options] = process.argv.slice(1);
const { PGlite } = require(require.resolve('@electric-sql/pglite', { paths: [resolveFrom] }));
const extra = JSON.parse(options);
PGlite.create(dataDir, { ...extra, startParams: [...PGlite.defaultStartParams, ...extra.startParams] })
  .then((db) => db.close())
  .catch((error) => { console.error(error && error.stack ? error.stack : String(error)); process.exit(1); });
`;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
