import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { FailedAuthLimits } from './auth-options';

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Counts failed authentications per client address; past the limit the address is blocked
 * for a while, on every route and with any token, so guessing keys stays out of reach.
 * In memory, per proxy instance (see docs/decisions.md).
 */
export class FailedAuthLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly limits: FailedAuthLimits) {
    this.limiter = new RateLimiterMemory({
      keyPrefix: 'failed-auth',
      points: limits.maxFailures,
      duration: limits.windowSeconds,
      blockDuration: limits.blockSeconds,
    });
  }

  /** Seconds until the address may try again, or null when it is not blocked. */
  async retryAfter(address: string): Promise<number | null> {
    const state = await this.limiter.get(address);
    if (!state || state.consumedPoints <= this.limits.maxFailures) return null;
    return seconds(state.msBeforeNext);
  }

  /** Counts one failure; returns the retry delay when this failure crossed the limit. */
  async recordFailure(address: string): Promise<number | null> {
    try {
      await this.limiter.consume(address);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return seconds(rejection.msBeforeNext);
      throw rejection;
    }
  }
}
