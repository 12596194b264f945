import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import { NotFound } from '@ruleshift/contracts';
import { HostedRunners } from './hosted-runners';
import type { HostedRule, RuleFailureListener, RuleHost, RunnerFactory } from './rule-host';

/**
 * Runs rules on the agent's own thread. Used with the in-process broker (embedded default),
 * whose queues live in this thread and cannot be reached from a worker. A rule that throws
 * on an event is dead-lettered by its runner; a rule that LOOPS would block this thread:
 * loop protection needs real brokers and the worker host.
 */
export class InlineRuleHost implements RuleHost {
  readonly kind = 'inline' as const;
  private readonly runners = new HostedRunners();
  private readonly listeners: RuleFailureListener[] = [];

  constructor(private readonly createRunner: RunnerFactory) {}

  start(rule: HostedRule, snapshot?: RuleSnapshot): Promise<void> {
    const jobId = rule.config.jobId;
    return this.runners.start(
      jobId,
      (onFailure) => this.createRunner(rule, { onFailure }),
      (reason) => {
        for (const listener of this.listeners) listener(jobId, reason);
      },
      snapshot ?? rule.installSnapshot,
    );
  }

  async stop(jobId: string): Promise<RuleSnapshot> {
    const snapshot = await this.runners.stop(jobId);
    if (!snapshot) throw new NotFound('jobId', `rule ${jobId} is not running on this agent`);
    return snapshot;
  }

  isRunning(jobId: string): boolean {
    return this.runners.isRunning(jobId);
  }

  metrics(jobId: string): RuleMetrics | undefined {
    return this.runners.metrics(jobId);
  }

  onFailure(listener: RuleFailureListener): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    return this.runners.close();
  }

  kill(): Promise<void> {
    // Nothing survives a crash: runners are stopped without keeping their final snapshot.
    return this.runners.abandonAll();
  }
}
