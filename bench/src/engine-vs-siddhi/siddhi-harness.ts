/**
 * The Siddhi side: builds bench/siddhi (Maven, only when its sources are newer than the jar)
 * and runs one benchmark in a fresh JVM, reading its JSON result line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SiddhiBench } from './scenarios';

export interface SiddhiResult {
  bench: string;
  events: number;
  millisPerRep?: number[];
  outputs: number;
  checksum?: string;
  rssBytes: number;
}

export const JVM_OPTIONS = ['-Xmx2g'];

export class SiddhiHarness {
  private readonly projectDir: string;
  private readonly jar: string;

  constructor(repoRoot: string) {
    this.projectDir = resolve(repoRoot, 'bench', 'siddhi');
    this.jar = join(this.projectDir, 'target', 'siddhi-bench.jar');
  }

  /** `mvn -o` first (offline, from the local repository), online only when that fails. */
  build(): void {
    if (!this.isStale()) return;
    const maven = 'mvn -B -ntp -q -o package -DskipTests || mvn -B -ntp -q package -DskipTests';
    execFileSync('bash', ['-c', maven], {
      cwd: this.projectDir,
      stdio: 'inherit',
      timeout: 600_000,
    });
  }

  run(
    bench: SiddhiBench,
    params: object,
    inputFile: string,
    warmup: number,
    reps: number,
  ): Promise<SiddhiResult> {
    return this.java([
      'run',
      bench,
      JSON.stringify(params),
      inputFile,
      String(warmup),
      String(reps),
    ]);
  }

  memory(bench: SiddhiBench, params: object, inputFile: string): Promise<SiddhiResult> {
    return this.java(['memory', bench, JSON.stringify(params), inputFile]);
  }

  private isStale(): boolean {
    if (!existsSync(this.jar)) return true;
    const built = statSync(this.jar).mtimeMs;
    return (
      newestMtime(join(this.projectDir, 'src')) > built ||
      statSync(join(this.projectDir, 'pom.xml')).mtimeMs > built
    );
  }

  private java(args: string[]): Promise<SiddhiResult> {
    return new Promise((done, fail) => {
      const child = spawn('java', [...JVM_OPTIONS, '-jar', this.jar, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', fail);
      child.on('close', (code) => {
        // Siddhi may log to stdout; the result is the last line.
        const last = stdout.trim().split('\n').pop() ?? '';
        if (code !== 0 || !last.startsWith('{')) {
          fail(
            new Error(
              `siddhi harness ${args[0]} ${args[1]} exited ${code}: ${stderr.slice(-2000)}`,
            ),
          );
          return;
        }
        done(JSON.parse(last) as SiddhiResult);
      });
    });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}
