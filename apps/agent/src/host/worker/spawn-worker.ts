import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { WorkerLike } from './worker-like';

/**
 * Starts a worker on `entryFile`. Built code (`.js`, aliases rewritten by tsc-alias) loads
 * directly. A `.ts` entry (unit tests, running from sources) gets a tiny bootstrap that
 * compiles TypeScript with @swc/core, the compiler Jest already uses, and maps the
 * `@ruleshift/*` aliases from tsconfig.json: a worker thread does not inherit Jest's loader.
 * `resourceLimits` caps the worker's heap: past it Node ends the worker (ERR_WORKER_OUT_OF_MEMORY)
 * and the agent's own heap is untouched.
 */
export function spawnWorker(
  entryFile: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): WorkerLike {
  if (!entryFile.endsWith('.ts')) {
    return new Worker(entryFile, { workerData, resourceLimits });
  }
  const source = typescriptBootstrap(entryFile, aliasesFor(entryFile));
  return new Worker(source, { eval: true, workerData, resourceLimits });
}

function aliasesFor(entryFile: string): Record<string, string> {
  let dir = path.dirname(entryFile);
  while (!existsSync(path.join(dir, 'tsconfig.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
  const tsconfig = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as {
    compilerOptions?: { paths?: Record<string, string[]> };
  };
  const aliases: Record<string, string> = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions?.paths ?? {})) {
    if (target) aliases[alias] = path.join(dir, target);
  }
  return aliases;
}

function typescriptBootstrap(entryFile: string, aliases: Record<string, string>): string {
  return `
const Module = require('node:module');
const fs = require('node:fs');
const swc = Module.createRequire(${JSON.stringify(entryFile)})('@swc/core');
const aliases = ${JSON.stringify(aliases)};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] || request, ...rest);
};
Module._extensions['.ts'] = function (module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(${JSON.stringify(entryFile)});
`;
}
