/** A RunnerClock whose timers fire only when the test says so. */
import type { RunnerClock } from '../runner/runner-deps';

export class ManualClock implements RunnerClock {
  private timers = new Map<number, { callback: () => void; delayMs: number }>();
  private nextId = 1;
  current = Date.UTC(2026, 0, 1);

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { callback, delayMs });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Fires every timer set so far. */
  fireAll(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const timer of due) timer.callback();
  }
}
