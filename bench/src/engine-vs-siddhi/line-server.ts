import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * An engine's own process serving commands: a command line in, one JSON answer line out, one
 * command at a time. Both engines run their timed passes this way, each in a process that does
 * nothing else, so neither times its pass in a heap or on threads busy with the other's work
 * or with the benchmark's input generation and checks.
 */
export class LineServer {
  private readonly pending: ((line: string | Error) => void)[] = [];
  private stderr = '';
  /** Set when the child has exited: commands after that fail at once. */
  private exited: Error | undefined;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    name: string,
  ) {
    child.stderr.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)),
    );
    // An engine may log to stdout; answers are the lines that start with '{'.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('{')) this.pending.shift()?.(line);
    });
    child.on('close', (code, signal) => {
      this.exited = new Error(`${name} exited ${code ?? signal}: ${this.stderr}`);
      for (const waiter of this.pending.splice(0)) waiter(this.exited);
    });
  }

  ask<T>(command: string): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<T>((done, fail) => {
      this.pending.push((line) => {
        if (line instanceof Error) fail(line);
        else done(JSON.parse(line) as T);
      });
      this.child.stdin.write(`${command}\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((done) => {
      if (this.child.exitCode !== null) return done();
      this.child.once('close', () => done());
      this.child.stdin.end('quit\n');
    });
  }
}
