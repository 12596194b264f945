import type {
  AgentRuleState,
  InstallRuleCommand,
  RuleConfig,
  RuleSnapshot,
} from '@ruleshift/contracts';
import { Conflict, NotFound, ValidationFailed } from '@ruleshift/contracts';
import type { BundleCache } from '../bundles/bundle-cache';
import type { HostedRule, RuleHost } from '../host/rule-host';
import { emptyMetrics } from '../host/rule-host';
import { KeyedMutex } from '../shared/keyed-mutex';
import type { AgentLogger } from '../shared/logger';
import { describeError } from '../shared/reply-error';
import { assertSafeName } from '../shared/safe-name';
import { stableJson } from '../shared/stable-json';
import type { FileCheckpointStore } from '../store/file-checkpoint-store';
import type { RuleRecord } from '../store/rule-record';
import type { RuleStore } from '../store/rule-store';

export interface RuleManagerDeps {
  store: RuleStore;
  checkpoints: Pick<FileCheckpointStore, 'load' | 'save' | 'remove'>;
  bundles: BundleCache;
  host: RuleHost;
  /** Declares the rule's exchanges, queue, binding and dead letters (idempotent). */
  declareTopology(config: RuleConfig): Promise<void>;
  /** Declare the topology again before every run (resume or start), not only at install. */
  redeclareTopologyBeforeRun?: boolean;
  logger: AgentLogger;
  now?: () => Date;
}

/**
 * The agent's rules: their records on disk, their runners in the host. Operations on one
 * job are serialised; the adapter owns the lifecycle rules, so repeated commands succeed
 * with the current state instead of failing (a lost reply is simply retried).
 */
export class RuleManager {
  private readonly records = new Map<string, RuleRecord>();
  /** Rules that should run but could not be resumed; kept RUNNING on disk for the next boot. */
  private readonly resumeFailures = new Map<string, string>();
  private readonly mutex = new KeyedMutex();
  private readonly now: () => Date;

  constructor(private readonly deps: RuleManagerDeps) {
    this.now = deps.now ?? (() => new Date());
    deps.host.onFailure((jobId, reason) => {
      this.markFailed(jobId, reason).catch((error: unknown) =>
        deps.logger.warn('rule.fail-record-error', { jobId, error: describeError(error) }),
      );
    });
  }

  /** Reads every rule record from disk (before any command is served). */
  async loadRecords(): Promise<void> {
    for (const record of await this.deps.store.loadAll()) {
      this.records.set(record.config.jobId, record);
    }
  }

  /** Resumes the rules whose desired status is RUNNING; needs no control channel. */
  async resumeRunning(): Promise<void> {
    await Promise.all(
      [...this.records.values()]
        .filter((record) => record.desiredStatus === 'RUNNING')
        .map((record) =>
          this.mutex.run(record.config.jobId, async () => {
            try {
              await this.run(record);
              this.deps.logger.info('rule.resumed', { jobId: record.config.jobId });
            } catch (error) {
              this.resumeFailures.set(
                record.config.jobId,
                `resume failed: ${describeError(error)}`,
              );
              this.deps.logger.warn('rule.resume-failed', {
                jobId: record.config.jobId,
                error: describeError(error),
              });
            }
          }),
        ),
    );
  }

  install(command: InstallRuleCommand): Promise<AgentRuleState> {
    const { config, artifact } = command;
    const jobId = assertSafeName(config?.jobId, 'config.jobId');
    return this.mutex.run(jobId, async () => {
      if (artifact?.jobType !== config.jobType || artifact.runtime !== 'edge') {
        throw new ValidationFailed([
          { field: 'artifact', reason: `must be the edge artifact of jobType ${config.jobType}` },
        ]);
      }
      if (artifact.version !== config.templateVersion) {
        // A validly signed artifact of another version (an older one, replayed) is not this rule's.
        throw new ValidationFailed([
          {
            field: 'artifact.version',
            reason: `is ${artifact.version}, the rule needs ${config.jobType} ${config.templateVersion}; refused`,
          },
        ]);
      }
      const existing = this.records.get(jobId);
      if (existing) {
        const same =
          stableJson(existing.config) === stableJson(config) &&
          existing.artifact.sha256 === artifact.sha256;
        if (same) return this.stateOf(existing);
        throw new Conflict(
          'jobId',
          `rule ${jobId} is already installed with another configuration`,
        );
      }
      await this.deps.bundles.ensure(artifact);
      await this.deps.declareTopology(config);
      const at = this.now().toISOString();
      const record: RuleRecord = {
        config,
        artifact,
        desiredStatus: 'INSTALLED',
        installSnapshot: command.snapshot,
        installedAt: at,
        updatedAt: at,
      };
      await this.deps.store.save(record);
      this.records.set(jobId, record);
      this.deps.logger.info('rule.installed', { jobId, jobType: config.jobType });
      return this.stateOf(record);
    });
  }

  start(jobId: string): Promise<AgentRuleState> {
    return this.mutex.run(jobId, async () => {
      const record = this.recordOf(jobId);
      if (!this.deps.host.isRunning(jobId)) await this.run(record);
      this.resumeFailures.delete(jobId);
      if (record.desiredStatus !== 'RUNNING' || record.failureReason !== undefined) {
        await this.persist(record, { desiredStatus: 'RUNNING', failureReason: undefined });
      }
      this.deps.logger.info('rule.started', { jobId });
      return this.stateOf(record);
    });
  }

  stop(jobId: string): Promise<{ rule: AgentRuleState; snapshot: RuleSnapshot }> {
    return this.mutex.run(jobId, async () => {
      const record = this.recordOf(jobId);
      const snapshot = await this.halt(record);
      this.resumeFailures.delete(jobId);
      await this.persist(record, { desiredStatus: 'STOPPED', failureReason: undefined });
      this.deps.logger.info('rule.stopped', { jobId });
      return { rule: this.stateOf(record), snapshot };
    });
  }

  /** Unknown jobs succeed with nothing to report, so a retried uninstall is harmless. */
  uninstall(jobId: string): Promise<{ rule?: AgentRuleState; snapshot?: RuleSnapshot }> {
    assertSafeName(jobId, 'jobId');
    return this.mutex.run(jobId, async () => {
      const record = this.records.get(jobId);
      if (!record) return {};
      const snapshot = await this.halt(record);
      await this.deps.store.remove(jobId);
      await this.deps.checkpoints.remove(jobId);
      this.records.delete(jobId);
      this.resumeFailures.delete(jobId);
      this.deps.logger.info('rule.uninstalled', { jobId });
      return { rule: { ...this.stateOf(record), status: 'STOPPED' }, snapshot };
    });
  }

  states(): AgentRuleState[] {
    return [...this.records.values()].map((record) => this.stateOf(record));
  }

  /**
   * Graceful shutdown: every running rule settles its acks and checkpoints, but its record
   * stays RUNNING so the next start resumes it.
   */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.records.values()].map((record) =>
        this.mutex.run(record.config.jobId, async () => {
          if (!this.deps.host.isRunning(record.config.jobId)) return;
          try {
            await this.deps.checkpoints.save(await this.deps.host.stop(record.config.jobId));
          } catch (error) {
            this.deps.logger.warn('rule.shutdown-stop-failed', {
              jobId: record.config.jobId,
              error: describeError(error),
            });
          }
        }),
      ),
    );
  }

  private async run(record: RuleRecord): Promise<void> {
    const jobId = record.config.jobId;
    const bundlePath = await this.deps.bundles.ensure(record.artifact);
    if (this.deps.redeclareTopologyBeforeRun) await this.deps.declareTopology(record.config);
    const hosted: HostedRule = {
      config: record.config,
      bundlePath,
      installSnapshot: record.installSnapshot,
    };
    const snapshot = (await this.deps.checkpoints.load(jobId)) ?? record.installSnapshot;
    await this.deps.host.start(hosted, snapshot);
  }

  /** Stops the runner if it runs; otherwise the last state the agent has of the rule. */
  private async halt(record: RuleRecord): Promise<RuleSnapshot> {
    const jobId = record.config.jobId;
    if (this.deps.host.isRunning(jobId)) {
      const snapshot = await this.deps.host.stop(jobId);
      await this.deps.checkpoints.save(snapshot);
      return snapshot;
    }
    return (
      (await this.deps.checkpoints.load(jobId)) ??
      record.installSnapshot ?? {
        format: 'ruleshift.snapshot/v1',
        jobId,
        jobType: record.config.jobType,
        templateVersion: record.config.templateVersion,
        takenAt: this.now().toISOString(),
        watermark: null,
        state: null,
      }
    );
  }

  private markFailed(jobId: string, reason: string): Promise<void> {
    return this.mutex.run(jobId, async () => {
      const record = this.records.get(jobId);
      if (!record) return;
      this.deps.logger.warn('rule.failed', { jobId, reason });
      await this.persist(record, { desiredStatus: 'FAILED', failureReason: reason });
    });
  }

  private async persist(record: RuleRecord, change: Partial<RuleRecord>): Promise<void> {
    Object.assign(record, change, { updatedAt: this.now().toISOString() });
    if (record.failureReason === undefined) delete record.failureReason;
    await this.deps.store.save(record);
  }

  private recordOf(jobId: string): RuleRecord {
    const record = this.records.get(assertSafeName(jobId, 'jobId'));
    if (!record) throw new NotFound('jobId', `rule ${jobId} is not installed on this agent`);
    return record;
  }

  private stateOf(record: RuleRecord): AgentRuleState {
    const jobId = record.config.jobId;
    const running = this.deps.host.isRunning(jobId);
    const failure = running ? undefined : (this.resumeFailures.get(jobId) ?? record.failureReason);
    const status = running
      ? 'RUNNING'
      : failure !== undefined
        ? 'FAILED'
        : record.desiredStatus === 'RUNNING'
          ? 'STOPPED'
          : record.desiredStatus;
    return {
      jobId,
      jobType: record.config.jobType,
      status,
      ...(failure !== undefined ? { failureReason: failure } : {}),
      metrics: this.deps.host.metrics(jobId) ?? emptyMetrics(),
    };
  }
}
