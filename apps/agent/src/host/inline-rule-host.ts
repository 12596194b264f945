import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import { NotFound } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';
import type { HostedRule, RuleFailureListener, RuleHost, RunnerFactory } from './rule-host';

/**
 * Runs rules on the agent's own thread. Used with the in-process broker (embedded default),
 * whose queues live in this thread and cannot be reached from a worker. A rule that throws
 * on an event is dead-lettered by its runner; a rule that LOOPS would block this thread:
 * loop protection needs real brokers and the worker host.
 */
export class InlineRuleHost implements RuleHost {
  readonly kind = 'inline' as const;
  private readonly runners = new Map<string, RuleRunner>();
  private readonly listeners: RuleFailureListener[] = [];

  constructor(private readonly createRunner: RunnerFactory) {}

  async start(rule: HostedRule, snapshot?: RuleSnapshot): Promise<void> {
    const jobId = rule.config.jobId;
    if (this.runners.has(jobId)) return;
    const runner = await this.createRunner(rule, {
      onFailure: (reason) => {
        if (this.runners.get(jobId) === runner) this.runners.delete(jobId);
        for (const listener of this.listeners) listener(jobId, reason);
      },
    });
    await runner.start(snapshot ?? rule.installSnapshot);
    this.runners.set(jobId, runner);
  }

  async stop(jobId: string): Promise<RuleSnapshot> {
    const runner = this.runners.get(jobId);
    if (!runner) throw new NotFound('jobId', `rule ${jobId} is not running on this agent`);
    try {
      return await runner.stop();
    } finally {
      this.runners.delete(jobId);
    }
  }

  isRunning(jobId: string): boolean {
    return this.runners.has(jobId);
  }

  metrics(jobId: string): RuleMetrics | undefined {
    return this.runners.get(jobId)?.metrics();
  }

  onFailure(listener: RuleFailureListener): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    this.runners.clear();
    return Promise.resolve();
  }

  async kill(): Promise<void> {
    // Nothing survives a crash: runners are stopped without keeping their final snapshot.
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.allSettled(runners.map((runner) => runner.stop()));
  }
}
