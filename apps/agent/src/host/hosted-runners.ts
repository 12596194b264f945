import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';

/** Builds one runner, given what it must call when it fails. */
export type CreateRunner = (onFailure: (reason: string) => void) => Promise<RuleRunner>;

/**
 * The runners of one host, by job id. A runner that fails stops counting as running at once,
 * but it is kept until it has released its deliveries (closed its consumers): the next start of
 * the same job waits for that, so a queue never has two consumers of one rule, which would
 * interleave its deliveries and break per-key order.
 */
export class HostedRunners {
  private readonly running = new Map<string, RuleRunner>();
  private readonly failed = new Map<string, RuleRunner>();

  async start(
    jobId: string,
    create: CreateRunner,
    onFailure: (reason: string) => void,
    snapshot?: RuleSnapshot,
  ): Promise<void> {
    if (this.running.has(jobId)) return;
    await this.release(jobId);
    const runner = await create((reason) => {
      if (this.running.get(jobId) === runner) this.running.delete(jobId);
      this.failed.set(jobId, runner);
      onFailure(reason);
    });
    await runner.start(snapshot);
    if (this.failed.get(jobId) !== runner) this.running.set(jobId, runner);
  }

  /** The final snapshot, or undefined when the job is not running (a failed one is released). */
  async stop(jobId: string): Promise<RuleSnapshot | undefined> {
    const runner = this.running.get(jobId);
    if (!runner) {
      await this.release(jobId);
      return undefined;
    }
    try {
      return await runner.stop();
    } finally {
      if (this.running.get(jobId) === runner) this.running.delete(jobId);
      if (this.failed.get(jobId) === runner) this.failed.delete(jobId);
    }
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  metrics(jobId: string): RuleMetrics | undefined {
    return this.running.get(jobId)?.metrics();
  }

  allMetrics(): Record<string, RuleMetrics> {
    const all: Record<string, RuleMetrics> = {};
    for (const [jobId, runner] of this.running) all[jobId] = runner.metrics();
    return all;
  }

  /** Stops every runner without keeping snapshots (crash simulation, host shutdown). */
  async abandonAll(): Promise<void> {
    const runners = [...this.running.values(), ...this.failed.values()];
    this.running.clear();
    this.failed.clear();
    await Promise.allSettled(runners.map((runner) => runner.stop()));
  }

  /** Forgets running runners (stopped by their owner before) and releases failed ones. */
  async close(): Promise<void> {
    this.running.clear();
    await Promise.all([...this.failed.keys()].map((jobId) => this.release(jobId)));
  }

  /** Waits until a failed runner of the job has given its deliveries back to the queue. */
  private async release(jobId: string): Promise<void> {
    const previous = this.failed.get(jobId);
    if (!previous) return;
    // stop() of a failed runner only closes what it still holds; its error changes nothing.
    await previous.stop().catch(() => undefined);
    if (this.failed.get(jobId) === previous) this.failed.delete(jobId);
  }
}
