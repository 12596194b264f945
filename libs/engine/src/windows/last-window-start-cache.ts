import { lastWindowStart, type TimeWindows } from './window-assigners';

/**
 * lastWindowStart for a stream whose times mostly stay within one slide: event times are
 * about 1.7e12, beyond small integers, so each `%` in lastWindowStart is a floating-point
 * remainder; consecutive events of an in-order stream reuse the previous start instead.
 * Only integer times are cached (for them the start is exactly the slide multiple <= time).
 */
export class LastWindowStartCache {
  private start = Number.NaN;

  constructor(private readonly windows: TimeWindows) {}

  lastStart(time: number): number {
    const start = this.start;
    if (time >= start && time < start + this.windows.slideMs && Number.isInteger(time))
      return start;
    const computed = lastWindowStart(this.windows, time);
    if (Number.isInteger(time)) this.start = computed;
    return computed;
  }
}
