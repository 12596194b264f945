import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root is the first ancestor holding a package.json. Walking up (instead of a
 * fixed `../..`) makes the same code work from `libs/templates/src` (jest, ts) and from
 * `dist/libs/templates/src` (compiled), since `dist/` has no package.json of its own.
 */
export function findRepoRoot(start: string = __dirname): string {
  let current = start;
  for (;;) {
    if (existsSync(join(current, 'package.json'))) return current;
    const parent = dirname(current);
    if (parent === current) return start;
    current = parent;
  }
}

export const DEFAULT_TEMPLATES_DIR: string = join(findRepoRoot(), 'templates');
