import { randomBytes } from 'node:crypto';
import { RuleshiftError, type RuleConfig, type RuleSnapshot } from '@ruleshift/contracts';
import type { FlinkCluster } from './flink-cluster';
import { callFlink } from './flink-errors';

/** Entry classes of the template jar's State Processor API jobs (templates/flink). */
export const SNAPSHOT_EXPORT_CLASS = 'io.ruleshift.flink.SnapshotExportJob';
export const SNAPSHOT_IMPORT_CLASS = 'io.ruleshift.flink.SnapshotImportJob';
/** The export job's accumulator holding the snapshot JSON. */
export const SNAPSHOT_ACCUMULATOR = 'ruleshift-snapshot';
/** Where a cluster writes savepoints: Flink 1.20's key, then its deprecated one. */
const SAVEPOINT_DIR_KEYS = ['execution.checkpointing.savepoint-dir', 'state.savepoints.dir'];

const base64 = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64');

/**
 * Moves a rule's window state between a Flink savepoint and the engine-neutral snapshot
 * (docs/snapshot-format.md) with two bounded jobs of the rule's own jar, run on the rule's
 * session cluster: SnapshotExportJob reads a savepoint with the State Processor API and hands
 * the snapshot back as its accumulator; SnapshotImportJob writes a savepoint the rule job then
 * starts from. See docs/decisions.md for why this mechanism.
 */
export class FlinkStateTransfer {
  constructor(private readonly newJobId: () => string = () => randomBytes(16).toString('hex')) {}

  /** The neutral snapshot of the state in `savepointPath` (a stop savepoint or an import). */
  async exportSnapshot(
    cluster: FlinkCluster,
    jarId: string,
    config: RuleConfig,
    savepointPath: string,
  ): Promise<RuleSnapshot> {
    const jobId = await this.runToEnd(cluster, jarId, SNAPSHOT_EXPORT_CLASS, [
      '--config-base64',
      base64(config),
      '--savepoint',
      savepointPath,
    ]);
    const accumulators = await callFlink(cluster.name, 'read the exported state', () =>
      cluster.client.jobAccumulators(jobId),
    );
    const text = accumulators[SNAPSHOT_ACCUMULATOR];
    if (!text) {
      throw new RuleshiftError(
        'RUNTIME_ERROR',
        `Flink cluster ${cluster.name}: the state export job ${jobId} returned no snapshot`,
      );
    }
    return snapshotOf(text, config, (why) => {
      throw new RuleshiftError(
        'RUNTIME_ERROR',
        `Flink cluster ${cluster.name}: the state export job ${jobId} returned ${why}`,
      );
    });
  }

  /** Writes `snapshot` as a savepoint of the rule's job; returns its path. */
  async importSnapshot(
    cluster: FlinkCluster,
    jarId: string,
    config: RuleConfig,
    snapshot: RuleSnapshot,
  ): Promise<string> {
    const path = `${await this.savepointDir(cluster)}/ruleshift-import-${config.jobId}-${this.newJobId()}`;
    await this.runToEnd(cluster, jarId, SNAPSHOT_IMPORT_CLASS, [
      '--config-base64',
      base64(config),
      '--snapshot-base64',
      base64(snapshot),
      '--savepoint-path',
      path,
    ]);
    return path;
  }

  private async savepointDir(cluster: FlinkCluster): Promise<string> {
    const config = await callFlink(cluster.name, 'read the savepoint directory', () =>
      cluster.client.jobManagerConfig(),
    );
    const dir = SAVEPOINT_DIR_KEYS.map((key) => config[key]).find((value) => !!value);
    if (!dir) {
      throw new RuleshiftError(
        'RUNTIME_ERROR',
        `Flink cluster ${cluster.name} has no savepoint directory (${SAVEPOINT_DIR_KEYS[0]}) ` +
          'to write a rule state into',
      );
    }
    return dir.replace(/\/+$/, '');
  }

  private async runToEnd(
    cluster: FlinkCluster,
    jarId: string,
    entryClass: string,
    programArgsList: string[],
  ): Promise<string> {
    const jobId = this.newJobId();
    let finished = false;
    try {
      await callFlink(cluster.name, `run ${entryClass}`, () =>
        cluster.client.runJar(jarId, {
          entryClass,
          programArgsList,
          jobId,
          timeoutMs: cluster.startTimeoutMs,
        }),
      );
      await callFlink(cluster.name, `wait for ${entryClass}`, () =>
        cluster.client.waitForJobFinished(jobId, { timeoutMs: cluster.savepointTimeoutMs }),
      );
      finished = true;
    } finally {
      // A job that timed out, or was submitted by a run whose answer was lost, would go on
      // holding task slots the rule's own job needs next. Best effort (Flink answers 404 for a
      // job never submitted): the first error is the one worth reporting.
      if (!finished) await cluster.client.cancelJob(jobId).catch(() => undefined);
    }
    return jobId;
  }
}

/**
 * The export job's accumulator as the rule's snapshot, or `fail` with what is wrong with it: a
 * template jar of another version, or a truncated accumulator, must not become the rule's state.
 */
function snapshotOf(text: string, config: RuleConfig, fail: (why: string) => never): RuleSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(
      `a snapshot that is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const s = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<
    Record<keyof RuleSnapshot, unknown>
  >;
  if (s.format !== 'ruleshift.snapshot/v1') {
    return fail(
      `a snapshot whose format is ${JSON.stringify(s.format)}, not "ruleshift.snapshot/v1"`,
    );
  }
  if (s.jobId !== config.jobId) {
    return fail(
      `a snapshot whose jobId ${JSON.stringify(s.jobId)} is not the rule's ${config.jobId}`,
    );
  }
  if (s.jobType !== config.jobType) {
    return fail(
      `a snapshot whose jobType ${JSON.stringify(s.jobType)} is not the rule's ${config.jobType}`,
    );
  }
  if (typeof s.templateVersion !== 'string' || typeof s.takenAt !== 'string') {
    return fail('a snapshot without its templateVersion or takenAt');
  }
  if (s.watermark !== null && typeof s.watermark !== 'number') {
    return fail('a snapshot whose watermark is neither a number nor null');
  }
  if (!('state' in s)) return fail('a snapshot without its state');
  return s as RuleSnapshot;
}
