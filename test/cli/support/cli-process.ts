/**
 * The built `ruleshift` CLI (dist/apps/cli/src/main.js, what package.json's `bin` names) as a
 * child process, the way an operator or a script runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CLI_MAIN = join(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
}

export function assertCliBuilt(): void {
  if (!existsSync(CLI_MAIN)) {
    throw new Error(`${CLI_MAIN} is missing: run npm run build (npm run test:cli does)`);
  }
}

/** Starts the CLI; its output accumulates in `stdout`/`stderr` as it comes. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliRun>;

  constructor(args: string[], options: CliOptions) {
    this.child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin!.end(options.stdin ?? '');
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** Resolves once `stream` contains `text` (rejects if the process ends first). */
  async waitFor(stream: 'stdout' | 'stderr', text: string): Promise<void> {
    for (;;) {
      if (this[stream].includes(text)) return;
      if (this.child.exitCode !== null) {
        throw new Error(
          `exited ${this.child.exitCode} before ${stream} had ${text}: ${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export const runCli = (args: string[], options: CliOptions): Promise<CliRun> =>
  new CliProcess(args, options).exited;
