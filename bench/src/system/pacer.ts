/**
 * Paces a publisher at a steady rate in small ticks: each tick sends what is due by the clock
 * since the start, so a late tick catches up instead of lowering the rate.
 */
export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Events due after `elapsedMs` at `perSecond` (whole events, never negative). */
export function eventsDue(elapsedMs: number, perSecond: number): number {
  return Math.max(0, Math.floor((elapsedMs * perSecond) / 1000));
}

export interface PacedRun {
  /** Resolves with the number of events sent once stopped or `durationMs` passed. */
  done: Promise<number>;
  stop(): void;
}

export interface PaceOptions {
  perSecond: number;
  /** Unbounded (until stop()) when omitted. */
  durationMs?: number;
  tickMs?: number;
  now?: () => number;
}

export function pace(options: PaceOptions, send: (index: number) => void): PacedRun {
  const now = options.now ?? Date.now;
  let stopped = false;
  const run = async (): Promise<number> => {
    const started = now();
    let sent = 0;
    for (;;) {
      const elapsed = now() - started;
      const ending = stopped || (options.durationMs !== undefined && elapsed >= options.durationMs);
      const due = eventsDue(Math.min(elapsed, options.durationMs ?? elapsed), options.perSecond);
      while (sent < due) send(sent++);
      if (ending) return sent;
      await sleep(options.tickMs ?? 1);
    }
  };
  return {
    done: run(),
    stop() {
      stopped = true;
    },
  };
}
