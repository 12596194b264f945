import { ReconnectBackoff } from './reconnect-backoff';

describe('ReconnectBackoff', () => {
  it('draws each wait uniformly under a ceiling that doubles up to the maximum', () => {
    const draws = [1, 0.5, 1, 0, 1, 1];
    const backoff = new ReconnectBackoff(500, 3000, () => draws.shift()!);
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([500, 500, 2000, 0, 3000, 3000]);
    backoff.reset();
    expect(new ReconnectBackoff(500, 3000, () => 1).next()).toBe(500);
  });

  it('spreads many clients that lost the broker at the same instant', () => {
    const firstWaits = Array.from({ length: 300 }, () => new ReconnectBackoff(500, 10_000).next());
    const buckets = new Set(firstWaits.map((wait) => Math.floor(wait / 50)));
    expect(Math.min(...firstWaits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...firstWaits)).toBeLessThanOrEqual(500);
    // Not lock-step: the waits cover (nearly) every 50 ms slice of the window.
    expect(buckets.size).toBeGreaterThanOrEqual(9);
  });
});
