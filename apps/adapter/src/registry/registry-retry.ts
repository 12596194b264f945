import { Logger } from '@nestjs/common';
import { Clock } from '../shared/clock';
import { LeadershipLost, OperationOwner } from './operation-owner';
import { isRegistryUnavailable } from './registry-unavailable';

export interface RegistryRetryTiming {
  /** How long one registry call is retried through an outage before its error is thrown. */
  budgetMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Bridges a PostgreSQL restart or failover (seconds) well within an operation's lifetime. */
export const DEFAULT_REGISTRY_RETRY: RegistryRetryTiming = {
  budgetMs: 60_000,
  firstDelayMs: 250,
  maxDelayMs: 4_000,
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Retries a registry call that an outage (PostgreSQL restarting, connection lost) made fail,
 * with exponential backoff. Used for the writes that record what an operation already did on a
 * runtime (a move's steps, a release with the new status): giving up there would leave the job
 * held with its effect half-recorded, and the caller told "failed" for something that happened.
 * A refusal is thrown at once, and so is LeadershipLost when this adapter's term ended during
 * the outage: the operation then belongs to the active adapter's recovery. Provided by a factory
 * in AdapterModule (the timing is not injected).
 */
export class RegistryRetry {
  private readonly logger = new Logger(RegistryRetry.name);

  constructor(
    private readonly owner: OperationOwner,
    private readonly clock: Clock,
    private readonly timing: RegistryRetryTiming = DEFAULT_REGISTRY_RETRY,
  ) {}

  async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    const term = this.owner.current();
    const giveUpAt = this.clock.now().getTime() + this.timing.budgetMs;
    let delayMs = this.timing.firstDelayMs;
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!isRegistryUnavailable(err) || this.clock.now().getTime() + delayMs > giveUpAt) {
          throw err;
        }
        this.logger.warn(
          `${what}: registry unavailable, retrying in ${delayMs} ms: ${messageOf(err)}`,
        );
        await this.clock.sleep(delayMs);
        if (this.owner.current() !== term) throw new LeadershipLost();
        delayMs = Math.min(delayMs * 2, this.timing.maxDelayMs);
      }
    }
  }
}
