/** Time and timers behind one injectable so heartbeat expiry and timestamps are testable. */
export abstract class Clock {
  abstract now(): Date;
  /** Calls `task` every `intervalMs`; returns a function that cancels it. */
  abstract every(intervalMs: number, task: () => void): () => void;
  /** Resolves after `ms` (a retry's backoff). */
  abstract sleep(ms: number): Promise<void>;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }

  every(intervalMs: number, task: () => void): () => void {
    const timer = setInterval(task, intervalMs);
    // A sweeper must never keep a shutting-down process alive.
    timer.unref();
    return () => clearInterval(timer);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** Test clock: time moves only when told to. */
export class ManualClock extends Clock {
  private current: number;
  private readonly tasks = new Set<{ intervalMs: number; due: number; task: () => void }>();

  constructor(start = '2026-01-01T00:00:00.000Z') {
    super();
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  every(intervalMs: number, task: () => void): () => void {
    const entry = { intervalMs, due: this.current + intervalMs, task };
    this.tasks.add(entry);
    return () => this.tasks.delete(entry);
  }

  /** Resolves once advance() has moved time `ms` on. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.every(ms, () => {
        cancel();
        resolve();
      });
    });
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const next = [...this.tasks].sort((a, b) => a.due - b.due)[0];
      if (!next || next.due > until) break;
      this.current = next.due;
      next.due += next.intervalMs;
      next.task();
    }
    this.current = until;
  }
}
