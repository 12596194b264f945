/**
 * Acks one consumer's deliveries in delivery order once each is settled (processed and all
 * its publishes confirmed). Settled runs are coalesced into one `ack(last, allUpTo)` per
 * microtask turn: confirms arrive in bursts, and one ack per burst is what keeps throughput.
 */
import type { Delivery } from '@ruleshift/broker';

export interface AckSink {
  /** False while the consumer is not known yet; the ledger retries on the next settle. */
  ack(delivery: Delivery, allUpTo: boolean): boolean;
}

/** One delivery whose outputs and dead letters are not all confirmed yet. */
export class PendingInput {
  pending = 0;
  processed = false;

  constructor(
    readonly delivery: Delivery,
    private readonly ledger: AckLedger,
  ) {}

  /** Given to every publish of this delivery: one closure per delivery, none per publish. */
  readonly confirm = (): void => {
    this.pending--;
    if (this.pending === 0 && this.processed) this.ledger.settle();
  };

  finishProcessing(): void {
    this.processed = true;
    if (this.pending === 0) this.ledger.settle();
  }
}

const COMPACT_AFTER = 4096;

export class AckLedger {
  private entries: PendingInput[] = [];
  private head = 0;
  private flushScheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly sink: AckSink) {}

  track(delivery: Delivery): PendingInput {
    const entry = new PendingInput(delivery, this);
    this.entries.push(entry);
    return entry;
  }

  get unsettled(): number {
    return this.entries.length - this.head;
  }

  settle(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(this.flush);
  }

  /** Resolves when every tracked delivery has been acked (or the ledger was abandoned). */
  whenIdle(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The channel is gone: unacked deliveries return to the queue by themselves. */
  abandon(): void {
    this.entries = [];
    this.head = 0;
    this.wakeIdleWaiters();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    let end = this.head;
    while (end < this.entries.length) {
      const entry = this.entries[end];
      if (!entry.processed || entry.pending > 0) break;
      end++;
    }
    if (end === this.head) return;
    const count = end - this.head;
    if (!this.sink.ack(this.entries[end - 1].delivery, count > 1)) return;
    this.head = end;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
      this.wakeIdleWaiters();
    } else if (this.head > COMPACT_AFTER) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  };

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
