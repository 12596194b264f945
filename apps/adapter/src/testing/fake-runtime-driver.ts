import {
  RuleshiftError,
  RuntimeUnavailable,
  type RuleConfig,
  type RuleSnapshot,
  type RuntimeKind,
} from '@ruleshift/contracts';
import type { DriverJob, RuntimeDriver } from '../drivers/runtime-driver';

type Method = 'install' | 'start' | 'stop' | 'uninstall';
type FakeRuleStatus = 'INSTALLED' | 'RUNNING' | 'STOPPED';

export interface FakeRule {
  status: FakeRuleStatus;
  config: RuleConfig;
  /** The snapshot it was installed with (what a move carried). */
  restoredFrom?: RuleSnapshot;
  /** Its window state; grows while it runs. */
  state: number;
}

export interface DeathPlan {
  method: Method;
  targetResource?: string;
  /** true: the runtime did the work, then the reply was lost (crash after the effect). */
  afterEffect: boolean;
}

/**
 * A runtime of one kind with any number of resources (agents/clusters), kept in memory. It
 * behaves like a strict agent (refuses duplicate installs, unknown jobs) and can "die" at a
 * chosen call: from then on every call throws RuntimeUnavailable until revive().
 */
export class FakeRuntimeDriver implements RuntimeDriver {
  readonly resources = new Map<string, Map<string, FakeRule>>();
  readonly calls: string[] = [];
  private deathPlan: DeathPlan | null = null;
  private dead = false;
  refuse: Partial<Record<Method, string>> = {};

  constructor(
    readonly kind: RuntimeKind,
    private readonly carriesStateTo: RuntimeKind[] = [kind],
  ) {}

  dieAt(plan: DeathPlan): void {
    this.deathPlan = plan;
  }

  revive(): void {
    this.dead = false;
    this.deathPlan = null;
  }

  rule(targetResource: string, jobId: string): FakeRule | undefined {
    return this.resources.get(targetResource)?.get(jobId);
  }

  /** Where the job is installed on this runtime. */
  placementsOf(jobId: string): string[] {
    return [...this.resources.entries()].filter(([, rules]) => rules.has(jobId)).map(([r]) => r);
  }

  canCarryState(kind: RuntimeKind): boolean {
    return this.carriesStateTo.includes(kind);
  }

  install(job: DriverJob, config: RuleConfig, snapshot?: RuleSnapshot): Promise<void> {
    return this.call('install', job, (rules) => {
      if (rules.has(job.jobId)) this.refuse$(`${job.jobId} is already installed`);
      rules.set(job.jobId, {
        status: 'INSTALLED',
        config,
        restoredFrom: snapshot,
        state: typeof snapshot?.state === 'number' ? snapshot.state : 0,
      });
      return undefined;
    });
  }

  start(job: DriverJob): Promise<void> {
    return this.call('start', job, (rules) => {
      const rule = this.known(rules, job);
      rule.status = 'RUNNING';
      rule.state += 1;
      return undefined;
    });
  }

  stop(job: DriverJob): Promise<RuleSnapshot | undefined> {
    return this.call('stop', job, (rules) => {
      const rule = this.known(rules, job);
      rule.status = 'STOPPED';
      return this.snapshotOf(job, rule);
    });
  }

  /** Like the agent and the Flink driver: an unknown job succeeds, so a retry is harmless. */
  uninstall(job: DriverJob): Promise<RuleSnapshot | undefined> {
    return this.call('uninstall', job, (rules) => {
      const rule = rules.get(job.jobId);
      if (!rule) return undefined;
      rules.delete(job.jobId);
      return this.snapshotOf(job, rule);
    });
  }

  private async call<T>(
    method: Method,
    job: DriverJob,
    effect: (rules: Map<string, FakeRule>) => T,
  ): Promise<T> {
    await Promise.resolve();
    this.calls.push(`${method} ${job.targetResource} ${job.jobId}`);
    if (this.dead) throw new RuntimeUnavailable('targetResource', `${this.kind} runtime is down`);
    if (this.refuse[method]) this.refuse$(this.refuse[method]);
    const plan = this.deathPlan;
    const dies =
      plan?.method === method &&
      (plan.targetResource === undefined || plan.targetResource === job.targetResource);
    let rules = this.resources.get(job.targetResource);
    if (!rules) this.resources.set(job.targetResource, (rules = new Map<string, FakeRule>()));
    if (dies && !plan.afterEffect) this.die();
    const result = effect(rules);
    if (dies) this.die();
    return result;
  }

  private die(): never {
    this.dead = true;
    this.deathPlan = null;
    throw new RuntimeUnavailable('targetResource', `${this.kind} runtime died`);
  }

  private known(rules: Map<string, FakeRule>, job: DriverJob): FakeRule {
    const rule = rules.get(job.jobId);
    if (!rule) this.refuse$(`unknown job ${job.jobId}`);
    return rule;
  }

  private refuse$(message: string): never {
    throw new RuleshiftError('RUNTIME_ERROR', message);
  }

  private snapshotOf(job: DriverJob, rule: FakeRule): RuleSnapshot {
    return {
      format: 'ruleshift.snapshot/v1',
      jobId: job.jobId,
      jobType: job.jobType,
      templateVersion: job.templateVersion,
      takenAt: '2026-01-01T00:00:00.000Z',
      watermark: null,
      state: rule.state,
    };
  }
}
