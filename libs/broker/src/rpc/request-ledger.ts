/** One request's run: the first reply sent for it and the end of its handler. */
export interface RequestRun {
  /** The reply every delivery of this request gets (the result, or an interim reply). */
  reply: Promise<unknown>;
  /** Settles when the handler has finished (after `reply`, or at the same time). */
  readonly settled: Promise<void>;
  /** Epoch ms after which no delivery of this request is served any more. */
  readonly deadline?: number;
  done: boolean;
}

/**
 * Deduplicates requests by id: a redelivery (a reconnect returned the request to the queue
 * while its first delivery was still being handled) joins the run in progress instead of
 * running the handler a second time. Finished runs are kept until their deadline (a later
 * delivery of them is dropped as expired anyway) or, without a deadline, among the last
 * `capacity` ones.
 */
export class RequestLedger {
  private readonly runs = new Map<string, RequestRun>();

  constructor(
    private readonly now: () => number,
    private readonly capacity = 1024,
  ) {}

  get(requestId: string): RequestRun | undefined {
    return this.runs.get(requestId);
  }

  add(requestId: string, run: RequestRun): void {
    this.forgetFinished();
    this.runs.set(requestId, run);
  }

  get size(): number {
    return this.runs.size;
  }

  private forgetFinished(): void {
    const now = this.now();
    let excess = this.runs.size - this.capacity + 1;
    for (const [id, run] of this.runs) {
      if (!run.done) continue;
      if (run.deadline !== undefined ? run.deadline < now : excess > 0) {
        this.runs.delete(id);
        excess--;
      }
    }
  }
}
