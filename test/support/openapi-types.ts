/**
 * TypeScript types for the API, generated from its OpenAPI document by openapi-typescript (the
 * types openapi-fetch clients are written against). `npm run openapi:types` writes them to
 * test/support/generated/ruleshift-api.ts; test/e2e/openapi.e2e-spec.ts regenerates them from the
 * served document, fails when that file differs, and calls the API through a client typed by it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

export const GENERATED_API_TYPES = join(__dirname, 'generated', 'ruleshift-api.ts');
const CLI = join(__dirname, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

/**
 * Undefined when the committed types are what `generated` (the served document's) says, else
 * one message naming the file, the first line that differs and the command that fixes it.
 */
export function staleTypesMessage(committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined;
  const was = committed.split('\n');
  const now = generated.split('\n');
  let line = 0;
  while (line < Math.min(was.length, now.length) && was[line] === now[line]) line++;
  const show = (text: string | undefined) => (text === undefined ? '(end of file)' : text.trim());
  return (
    `${relative(process.cwd(), GENERATED_API_TYPES)} is stale: the served /api/docs-json ` +
    `generates something else from line ${line + 1} (committed: ${show(was[line])}; ` +
    `generated: ${show(now[line])}). Regenerate it with \`npm run openapi:types\` while ` +
    '`npm start` runs (a URL after `--` reads another server) and commit it.'
  );
}

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
