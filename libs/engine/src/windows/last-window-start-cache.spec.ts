import fc from 'fast-check';
import { LastWindowStartCache } from './last-window-start-cache';
import { lastWindowStart, slidingWindows, tumblingWindows } from './window-assigners';

describe('LastWindowStartCache', () => {
  it('agrees with lastWindowStart for any sequence of times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(
          fc.oneof(
            fc.integer({ min: -1e6, max: 1e6 }),
            fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }),
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          ),
        ),
        (slideMs, times) => {
          const windows = slidingWindows(slideMs * 2, slideMs);
          const cache = new LastWindowStartCache(windows);
          for (const time of times)
            expect(cache.lastStart(time)).toBe(lastWindowStart(windows, time));
        },
      ),
    );
  });

  it('never returns -0: an event time of -0 and of 0 share the window start 0', () => {
    const windows = tumblingWindows(1);
    const cache = new LastWindowStartCache(windows);
    expect(cache.lastStart(-0)).toBe(0);
    expect(cache.lastStart(0)).toBe(0);
    expect(lastWindowStart(windows, -0)).toBe(0);
  });

  it('returns the same start within one slide and moves on at its end', () => {
    const cache = new LastWindowStartCache(tumblingWindows(1000));
    expect(cache.lastStart(5_000)).toBe(5_000);
    expect(cache.lastStart(5_999)).toBe(5_000);
    expect(cache.lastStart(6_000)).toBe(6_000);
    expect(cache.lastStart(4_999)).toBe(4_000);
    expect(cache.lastStart(-1)).toBe(-1_000);
  });
});
