import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BenchEngine } from './ruleshift-engine';

/**
 * The engine as agents run it: tsc's build under dist/ (`npm run build`, which `npm run
 * bench:engine` runs first). The benchmark itself runs under tsx, whose esbuild transform keeps
 * function names by wrapping every function and class in a `__name` call; timing the engine's
 * sources through it measured the loader: 113-115 ms per 100,000 tumbling events against
 * 88-99 ms for the same sources built by tsc (docs/decisions.md). A build older than the
 * sources is refused, so a direct `tsx main.ts` cannot time a stale engine.
 */
export function builtEngine(repoRoot: string): BenchEngine {
  const entry = join(repoRoot, 'dist', 'libs', 'engine', 'src', 'index.js');
  const rebuild = 'run npm run build first (npm run bench:engine does)';
  if (!existsSync(entry)) throw new Error(`${entry} is missing: ${rebuild}`);
  const sources = join(repoRoot, 'libs', 'engine', 'src');
  const newest = newestModification(sources);
  if (newest > statSync(entry).mtimeMs) {
    throw new Error(`${entry} is older than ${sources}: ${rebuild}`);
  }
  return createRequire(__filename)(entry) as BenchEngine;
}

function newestModification(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (name.endsWith('.ts') && !name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  }
  return newest;
}
