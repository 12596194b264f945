import { NO_CULPRIT } from './worker-protocol';

/**
 * Shared memory the stuck worker cannot be asked about: before a rule handles an event the
 * worker stores the rule's index here, so the main thread can name the culprit while the
 * worker's event loop is blocked. The mark is cleared in a microtask, which only runs once
 * the rule has returned: a rule that loops leaves its own index behind.
 */
export class CulpritMarker {
  private readonly cell: Int32Array;
  private clearScheduled = false;

  constructor(buffer: SharedArrayBuffer) {
    this.cell = new Int32Array(buffer);
  }

  static allocate(): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    new Int32Array(buffer)[0] = NO_CULPRIT;
    return buffer;
  }

  mark(index: number): void {
    Atomics.store(this.cell, 0, index);
    if (!this.clearScheduled) {
      this.clearScheduled = true;
      queueMicrotask(() => {
        this.clearScheduled = false;
        Atomics.store(this.cell, 0, NO_CULPRIT);
      });
    }
  }

  current(): number {
    return Atomics.load(this.cell, 0);
  }

  reset(): void {
    Atomics.store(this.cell, 0, NO_CULPRIT);
  }
}
