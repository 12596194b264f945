/**
 * TypeScript types for the API, generated from its OpenAPI document by openapi-typescript (the
 * types openapi-fetch clients are written against). `npm run openapi:types` writes them to
 * test/support/generated/ruleshift-api.ts; test/e2e/openapi.e2e-spec.ts checks that file is what
 * the served document generates and calls the API through a client typed by it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const GENERATED_API_TYPES = join(__dirname, 'generated', 'ruleshift-api.ts');
const CLI = join(__dirname, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

/** The generated module's text for `document` (the CLI, as a developer would run it). */
export async function generateApiTypes(document: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ruleshift-openapi-'));
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document));
    await promisify(execFile)(process.execPath, [CLI, 'openapi.json', '-o', 'api.ts'], {
      cwd: dir,
    });
    return await readFile(join(dir, 'api.ts'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
