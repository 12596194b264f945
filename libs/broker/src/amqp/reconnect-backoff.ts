/**
 * Waits between reconnect attempts: exponential, with "full jitter" (each wait uniform in
 * [0, ceiling], the ceiling doubling per failed attempt up to a maximum). Hundreds of gateways
 * cut by one core outage then come back spread over the window instead of all at the same
 * instant, which would hit the recovering broker with one connection storm per round.
 */
export class ReconnectBackoff {
  private ceiling: number;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.ceiling = initialMs;
  }

  /** The wait before the next attempt; the attempt after it may wait up to twice as long. */
  next(): number {
    const wait = Math.round(this.random() * this.ceiling);
    this.ceiling = Math.min(this.ceiling * 2, this.maxMs);
    return wait;
  }

  /** After a success: the next outage starts from the initial window again. */
  reset(): void {
    this.ceiling = this.initialMs;
  }
}
