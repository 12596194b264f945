/**
 * Bounded out-of-orderness: the watermark trails the largest event time seen by
 * `maxOutOfOrdernessMs`. It lives outside the operators so a rule can snapshot and restore it.
 */
export class WatermarkTracker {
  private maxTime = Number.NEGATIVE_INFINITY;

  constructor(readonly maxOutOfOrdernessMs = 0) {
    if (!Number.isFinite(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
      throw new RangeError('maxOutOfOrdernessMs must be a finite number >= 0');
    }
  }

  /** The current watermark, or null before the first event. */
  current(): number | null {
    return this.maxTime === Number.NEGATIVE_INFINITY
      ? null
      : this.maxTime - this.maxOutOfOrdernessMs;
  }

  /** Records an event time; returns the new watermark if it advanced, else null. */
  observe(time: number): number | null {
    if (time <= this.maxTime) return null;
    this.maxTime = time;
    return time - this.maxOutOfOrdernessMs;
  }

  /** Processing time: the watermark is the clock itself. */
  advanceTo(watermark: number): number | null {
    return this.observe(watermark + this.maxOutOfOrdernessMs);
  }

  restore(watermark: number | null): void {
    this.maxTime =
      watermark === null ? Number.NEGATIVE_INFINITY : watermark + this.maxOutOfOrdernessMs;
  }
}
