/**
 * The Siddhi side: builds bench/siddhi (Maven, only when its sources are newer than the jar),
 * keeps one JVM per benchmark serving timed repetitions on request (so the two engines can
 * alternate repetition by repetition), and runs the memory measurement in a JVM of its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineServer } from './line-server';
import type { SiddhiBench } from './scenarios';

/** One timed repetition: JSON lines in, one JSON string per output. */
export interface SiddhiRun {
  events: number;
  millis: number;
  cpuMillis: number;
  outputs: number;
  checksum: string;
}

/** The same work in three separately timed passes (process CPU time). */
export interface SiddhiPhases {
  events: number;
  parseMillis: number;
  engineMillis: number;
  serialiseMillis: number;
  outputs: number;
}

export interface SiddhiMemory {
  events: number;
  outputs: number;
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

  /** A JVM serving `bench` until closed. */
  serve(bench: SiddhiBench, params: object): SiddhiServer {
    return new SiddhiServer(
      spawn('java', [...JVM_OPTIONS, '-jar', this.jar, 'serve', bench, JSON.stringify(params)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
      `siddhi serve ${bench}`,
    );
  }

  memory(bench: SiddhiBench, params: object, inputFile: string): Promise<SiddhiMemory> {
    return new Promise((done, fail) => {
      const child = spawn(
        'java',
        [...JVM_OPTIONS, '-jar', this.jar, 'memory', bench, JSON.stringify(params), inputFile],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', fail);
      child.on('close', (code) => {
        // Siddhi may log to stdout; the result is the last line.
        const last = stdout.trim().split('\n').pop() ?? '';
        if (code !== 0 || !last.startsWith('{')) {
          fail(new Error(`siddhi memory ${bench} exited ${code}: ${stderr.slice(-2000)}`));
          return;
        }
        done(JSON.parse(last) as SiddhiMemory);
      });
    });
  }

  private isStale(): boolean {
    if (!existsSync(this.jar)) return true;
    const built = statSync(this.jar).mtimeMs;
    return (
      newestMtime(join(this.projectDir, 'src')) > built ||
      statSync(join(this.projectDir, 'pom.xml')).mtimeMs > built
    );
  }
}

/** One `serve` JVM (see LineServer). */
export class SiddhiServer extends LineServer {
  run(inputFile: string): Promise<SiddhiRun> {
    return this.ask<SiddhiRun>(`run ${inputFile}`);
  }

  phases(inputFile: string): Promise<SiddhiPhases> {
    return this.ask<SiddhiPhases>(`phases ${inputFile}`);
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
