/**
 * Publishes made between two checkpoints of a stateful rule. A checkpoint may ack the inputs it
 * covers only when its epoch, and every epoch before it, is fully confirmed.
 */
export class ConfirmEpoch {
  pending = 0;
  private waiters: (() => void)[] = [];

  constructor(private previous?: ConfirmEpoch) {}

  /** Given to each publish of the epoch (one closure per epoch, none per publish). */
  readonly confirm = (): void => {
    this.pending--;
    if (this.pending === 0) this.wake();
  };

  async drained(): Promise<void> {
    if (this.previous) {
      await this.previous.drained();
      this.previous = undefined;
    }
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Publishes that will never be confirmed (the broker failed): stop waiting for them. */
  abandon(): void {
    this.pending = 0;
    this.previous?.abandon();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
