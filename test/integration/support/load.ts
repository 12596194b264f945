/**
 * Load for the placement tests and benchmark: a producer publishing at a set rate, and a
 * throttle that makes one process slow (a weak gateway) by freezing and thawing it.
 */
import type { AmqpTestClient } from './amqp';
import { sleep, type RuleshiftSystem } from './system';

const TICK_MS = 100;

/**
 * Publishes numbered events at `rate` events/s: readings all above the filter's threshold
 * unless `eventOf` makes them otherwise.
 */
export class PacedProducer {
  private rate = 0;
  private running?: Promise<void>;
  private stopping = false;
  private failure: Error | undefined;
  /** Events the broker confirmed, in order. */
  sent = 0;

  constructor(
    private readonly amqp: AmqpTestClient,
    private readonly exchange: string,
    private readonly routingKey: string,
    private readonly eventOf: (seq: number) => unknown = reading,
  ) {}

  setRate(perSecond: number): void {
    this.rate = perSecond;
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.loop();
  }

  /** Stops publishing; resolves with how many events were published in all. */
  async stop(): Promise<number> {
    this.stopping = true;
    await this.running;
    this.running = undefined;
    if (this.failure !== undefined) throw this.failure;
    return this.sent;
  }

  /** Publishes `count` more events at once (a sentinel, a burst). */
  async publish(count: number): Promise<void> {
    const events = Array.from({ length: count }, () => this.eventOf(this.sent++));
    await this.amqp.publishJson(this.exchange, this.routingKey, events);
  }

  /** A publish that failed ends the loop; stop() rethrows it. */
  private async loop(): Promise<void> {
    let owed = 0;
    try {
      while (!this.stopping) {
        const started = Date.now();
        owed += (this.rate * TICK_MS) / 1000;
        const now = Math.floor(owed);
        owed -= now;
        if (now > 0) await this.publish(now);
        await sleep(Math.max(0, TICK_MS - (Date.now() - started)));
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}

export const reading = (seq: number): { deviceId: string; seq: number; temperature: number } => ({
  deviceId: `device-${seq % 10}`,
  seq,
  temperature: 30 + (seq % 7),
});

/**
 * Runs a process at a fraction of its speed: SIGSTOP for `frozenMs`, SIGCONT for `thawedMs`,
 * until stopped (it is always left running).
 */
export class ProcessThrottle {
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly system: RuleshiftSystem,
    private readonly name: string,
    private readonly frozenMs: number,
    private readonly thawedMs: number,
  ) {}

  start(): void {
    this.stopping = false;
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopping) {
        this.system.signal(this.name, 'SIGSTOP');
        await sleep(this.frozenMs);
        this.system.signal(this.name, 'SIGCONT');
        await sleep(this.thawedMs);
      }
    } finally {
      this.system.signal(this.name, 'SIGCONT');
    }
  }
}
