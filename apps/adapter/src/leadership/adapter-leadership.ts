import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { OperationOwner } from '../registry/operation-owner';
import type { RegistryLease } from '../registry/registry-lease';
import type { ActiveDuty } from './active-duty';

export interface LeadershipTiming {
  /** How long a lease lives without renewal: a dead adapter's standby takes over after it. */
  leaseTtlMs: number;
  /** How often the active adapter renews and a standby tries to take over. */
  renewIntervalMs: number;
}

export const DEFAULT_LEADERSHIP_TIMING: LeadershipTiming = {
  leaseTtlMs: 10_000,
  renewIntervalMs: 2_000,
};

/** Time and timers the service runs on: monotonic milliseconds and a cancellable interval. */
export interface LeadershipTimer {
  monotonicMs(): number;
  every(intervalMs: number, task: () => void): () => void;
}

export const systemLeadershipTimer: LeadershipTimer = {
  monotonicMs: () => performance.now(),
  every: (intervalMs, task) => {
    const timer = setInterval(task, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Exactly one active adapter per registry. Every adapter runs this loop: a standby tries to
 * take the lease each renewIntervalMs; the holder renews it. Each time the lease is taken a new
 * term id starts (the OperationOwner that jobs and moves record, and that fences their writes),
 * then the active duties start. The holder steps down (duties stopped, term ended) when a
 * renewal is refused, or when it could not renew before its lease may have expired: measured
 * from when the last successful renewal was sent, on this process's monotonic clock, so it
 * never acts past the moment a standby may take over.
 */
export class AdapterLeadership extends OperationOwner {
  private readonly logger = new Logger(AdapterLeadership.name);
  private readonly duties: ActiveDuty[] = [];
  private readonly started: ActiveDuty[] = [];
  private readonly instance = `${hostname()}/${process.pid}`;
  private term = this.newTerm();
  private active = false;
  /** Monotonic time after which this process must consider its lease lost. */
  private validUntil = 0;
  private cancelLoop: (() => void) | null = null;
  /** Lease rounds, one at a time. Never waits for duties: a slow recovery must not stop renewals. */
  private rounds: Promise<void> = Promise.resolve();
  /** Duty starts and stops, in order. */
  private transitions: Promise<void> = Promise.resolve();
  private readonly listeners: ((active: boolean) => void)[] = [];

  constructor(
    private readonly lease: RegistryLease,
    private readonly timing: LeadershipTiming = DEFAULT_LEADERSHIP_TIMING,
    private readonly timer: LeadershipTimer = systemLeadershipTimer,
    /**
     * The database can only be open in this process (embedded PGlite): a lease found at boot
     * belongs to a dead process, so it is taken at once instead of waiting for it to expire.
     */
    private readonly exclusiveDatabase = false,
  ) {
    super();
    if (timing.renewIntervalMs * 2 > timing.leaseTtlMs) {
      throw new Error('the lease must outlive at least two renewal intervals');
    }
  }

  /** The current term: what this adapter's operations are recorded and fenced under. */
  current(): string {
    return this.term;
  }

  isActive(): boolean {
    return this.active && this.timer.monotonicMs() < this.validUntil;
  }

  /** Adds a duty; started at once when this adapter is already active. */
  async register(duty: ActiveDuty): Promise<void> {
    this.duties.push(duty);
    if (!this.active) return;
    const term = this.term;
    await this.transition(() => this.startDuty(duty, term));
  }

  /** Called with true when this adapter becomes active, false when it loses the lease. */
  onChange(listener: (active: boolean) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Tries once now and waits for the duties that follows (so a lone adapter has recovered and
   * is serving before it returns), then keeps trying in the background.
   */
  async start(): Promise<void> {
    if (this.exclusiveDatabase) await this.lease.clear();
    await this.queueRound();
    this.cancelLoop ??= this.timer.every(this.timing.renewIntervalMs, () => {
      // A renewal hanging on a stalled database must not keep us acting past expiry.
      if (this.active && this.timer.monotonicMs() >= this.validUntil) {
        this.stepDown('lease expired before it could be renewed');
      }
      void this.queueRound();
    });
    await this.transitions;
  }

  /** Stops the duties and hands the lease back, so a standby takes over without waiting. */
  async stop(): Promise<void> {
    this.cancelLoop?.();
    this.cancelLoop = null;
    await this.rounds;
    const { term, active } = this;
    // Listeners are told about a lost lease, not about an orderly shutdown.
    this.stepDown('shutting down', false);
    await this.transitions;
    if (!active) return;
    await this.lease.release(term).catch((err: unknown) => {
      this.logger.warn(`could not hand the lease back: ${messageOf(err)}`);
    });
  }

  private queueRound(): Promise<void> {
    const next = this.rounds.then(() => this.round());
    this.rounds = next.catch(() => undefined);
    return next;
  }

  private transition(task: () => Promise<void>): Promise<void> {
    const next = this.transitions.then(task);
    this.transitions = next.catch(() => undefined);
    return next;
  }

  private async round(): Promise<void> {
    const term = this.term;
    const sentAt = this.timer.monotonicMs();
    let held: boolean;
    try {
      held = await this.lease.acquire(term, this.timing.leaseTtlMs);
    } catch (err) {
      if (
        this.active &&
        this.timer.monotonicMs() >= this.validUntil - this.timing.renewIntervalMs
      ) {
        this.stepDown(`lease not renewed in time: ${messageOf(err)}`);
      } else if (this.active) {
        this.logger.warn(`lease renewal failed, retrying: ${messageOf(err)}`);
      }
      return;
    }
    if (term !== this.term) return; // stepped down meanwhile
    if (!held) {
      if (this.active) this.stepDown('another adapter holds the lease');
      return;
    }
    this.validUntil = sentAt + this.timing.leaseTtlMs;
    if (!this.active) this.becomeActive(term);
  }

  private becomeActive(term: string): void {
    this.active = true;
    this.logger.log(`active adapter (term ${term})`);
    for (const listener of this.listeners) listener(true);
    void this.transition(async () => {
      for (const duty of this.duties) await this.startDuty(duty, term);
    });
  }

  private async startDuty(duty: ActiveDuty, term: string): Promise<void> {
    // The term ended while earlier duties started: the stop that follows must find nothing new.
    if (term !== this.term || this.started.includes(duty)) return;
    try {
      await duty.start();
      this.started.push(duty);
    } catch (err) {
      // A duty that cannot start must not keep the others from running; it is retried at the
      // next term. The lease is not given up for it: the registry is still served.
      this.logger.error(`active duty ${duty.name} did not start: ${messageOf(err)}`);
    }
  }

  /** Ends the term at once (its writes are fenced from now on); duties stop in the background. */
  private stepDown(why: string, notify = true): void {
    if (!this.active) return;
    this.active = false;
    this.validUntil = 0;
    const term = this.term;
    // A new term: whatever the old one left held is now an orphan the next active adapter
    // (maybe this one again) adopts and recovers.
    this.term = this.newTerm();
    // A lost lease is worth a warning; handing it back at an orderly stop is not.
    const say = `no longer the active adapter (term ${term}): ${why}`;
    if (notify) this.logger.warn(say);
    else this.logger.log(say);
    if (notify) for (const listener of this.listeners) listener(false);
    void this.transition(async () => {
      for (const duty of this.started.splice(0).reverse()) {
        await duty.stop().catch((err: unknown) => {
          this.logger.error(`active duty ${duty.name} did not stop cleanly: ${messageOf(err)}`);
        });
      }
    });
  }

  private newTerm(): string {
    return `${this.instance}/${randomUUID()}`;
  }
}
