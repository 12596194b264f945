import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import {
  Conflict,
  NotFound,
  RuleshiftError,
  type ArtifactRef,
  type RuleConfig,
  type RuleSnapshot,
  type RuntimeKind,
  type TemplateManifest,
} from '@ruleshift/contracts';
import {
  TERMINAL_JOB_STATES,
  type FlinkCheckpoints,
  type FlinkCompletedCheckpoint,
} from '@ruleshift/flink-client';
import type { DriverJob, RuntimeDriver, StateOptions } from '../runtime-driver';
import type { FlinkCluster } from './flink-cluster';
import {
  callFlink,
  isAlreadyTerminal,
  isMissingJar,
  isUnknownJob,
  toDriverError,
} from './flink-errors';
import { FlinkStateTransfer } from './flink-state-transfer';
import type { FlinkDeployment, FlinkDeploymentStore } from './persistence/flink-deployment-store';

/** The parts of @ruleshift/templates' TemplateCatalog the driver reads (the real one fits). */
export interface FlinkTemplateSource {
  artifact(jobType: string, runtime: RuntimeKind): ArtifactRef;
  readArtifact(
    jobType: string,
    version: string,
    runtime: RuntimeKind,
  ): Promise<{ ref: ArtifactRef; bytes: Buffer; filePath: string }>;
  manifest(jobType: string): TemplateManifest;
}

export interface FlinkJobDriverOptions {
  /** A fresh 32-hex Flink job id per run. */
  newFlinkJobId?: () => string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Poll period while waiting for a stopped or cancelled job to end. */
  pollIntervalMs?: number;
  /** Savepoint <-> neutral snapshot (State Processor API jobs). */
  stateTransfer?: FlinkStateTransfer;
}

const newFlinkJobId = (): string => randomBytes(16).toString('hex');

/**
 * How long after a job of this driver ended on a cluster a lack of free slots is read again
 * before refusing: Flink frees an ended job's slots asynchronously, so /overview may still count
 * them as taken (a rule restarting in the slot its stopped job, or its state import job, held).
 */
export const SLOT_RELEASE_WAIT_MS = 5_000;

/**
 * Runs rules as jobs on Flink session clusters. A template's jar is uploaded once per cluster
 * and (template version, sha256) and shared by all its rules; each start is a new Flink job
 * restored from the newest completed checkpoint or savepoint of the run before it (the stop
 * savepoint after a stop; the latest retained checkpoint after a failure or cancel). Window
 * state crosses engines through the neutral snapshot: an install with one writes it as the
 * savepoint the first start restores; a stop or uninstall asked to export reads the savepoint
 * back into one (FlinkStateTransfer).
 */
export class FlinkJobDriver implements RuntimeDriver {
  readonly kind = 'flink' as const;
  private readonly clusters: Map<string, FlinkCluster>;
  private readonly jarUploads = new Map<string, Promise<{ jarId: string; sha256: string }>>();
  /**
   * Jars this driver uploaded or saw listed, by cluster, version and sha256: later installs and
   * starts use them without asking Flink (GET /jars opens every jar, tens of ms each time). A
   * cluster that lost one refuses the run; the start then uploads it again and runs once more.
   */
  private readonly knownJars = new Map<string, { jarId: string; sha256: string }>();
  private readonly newFlinkJobId: () => string;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly stateTransfer: FlinkStateTransfer;
  /** Per cluster, when a job this driver stopped, cancelled or ran to its end last ended. */
  private readonly jobEndedAt = new Map<string, number>();

  constructor(
    clusters: FlinkCluster[],
    private readonly templates: FlinkTemplateSource,
    private readonly store: FlinkDeploymentStore,
    options: FlinkJobDriverOptions = {},
  ) {
    this.clusters = new Map(clusters.map((c) => [c.name, c]));
    this.newFlinkJobId = options.newFlinkJobId ?? newFlinkJobId;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.stateTransfer = options.stateTransfer ?? new FlinkStateTransfer();
  }

  clusterNames(): string[] {
    return [...this.clusters.keys()];
  }

  /**
   * With a snapshot (a stateful rule moving in), its state is written as a savepoint now, so the
   * first start restores it like any stop savepoint.
   */
  async install(job: DriverJob, config: RuleConfig, snapshot?: RuleSnapshot): Promise<void> {
    const cluster = this.cluster(job.targetResource);
    const entryClass = this.entryClassOf(job.jobType);
    // Fail at install, not at start, when Flink could not reach the rule's brokers.
    cluster.brokerArgs.argsFor(config, cluster.name);
    const jar = await this.ensureJar(cluster, job.jobType, job.templateVersion);
    const previous = await this.store.findDeployment(job.jobId);
    // A repeated install (move recovery) on the same cluster keeps what is running and saved.
    const same = previous?.cluster === cluster.name ? previous : null;
    if (!same?.flinkJobId) await this.requireFreeSlots(cluster, config);
    const carried =
      snapshot && this.templates.manifest(job.jobType).stateful
        ? await this.endingJob(cluster, () =>
            this.stateTransfer.importSnapshot(cluster, jar.jarId, config, snapshot),
          )
        : null;
    await this.store.saveDeployment({
      jobId: job.jobId,
      cluster: cluster.name,
      jobType: job.jobType,
      templateVersion: job.templateVersion,
      jarSha256: jar.sha256,
      jarId: jar.jarId,
      entryClass,
      config,
      flinkJobId: same?.flinkJobId ?? null,
      savepointPath: carried ?? same?.savepointPath ?? null,
      confirmedSavepointPath: same?.confirmedSavepointPath ?? null,
      updatedAt: this.now(),
    });
  }

  async start(job: DriverJob): Promise<void> {
    const cluster = this.cluster(job.targetResource);
    const deployment = await this.deploymentOn(cluster, job);
    if (deployment.flinkJobId && (await this.isAlive(cluster, deployment.flinkJobId))) {
      // Idempotent: the rule already runs (a repeated start during move recovery).
      await this.waitRunning(cluster, deployment.flinkJobId);
      return;
    }
    await this.requireFreeSlots(cluster, deployment.config);
    // The previous run (FAILED, CANCELED, vanished) acked its inputs at every checkpoint: resume
    // from its newest one, not from the stop savepoint it started from.
    const restorePath = deployment.flinkJobId
      ? await this.newestRestorePoint(cluster, deployment.flinkJobId, deployment.savepointPath)
      : deployment.savepointPath;
    const jar = await this.ensureJar(cluster, job.jobType, deployment.templateVersion);
    const programArgsList = [
      '--config-base64',
      Buffer.from(JSON.stringify(deployment.config), 'utf8').toString('base64'),
      ...cluster.brokerArgs.argsFor(deployment.config, cluster.name),
      '--checkpoint-interval-ms',
      String(cluster.checkpointIntervalMs),
      // Without it the sinks publish again the outputs the restored state lists as unconfirmed.
      ...(restorePath !== null && restorePath === deployment.confirmedSavepointPath
        ? ['--restored-outputs-confirmed']
        : []),
    ];
    const flinkJobId = this.newFlinkJobId();
    // Recorded before the run, so a crash between the two still lets uninstall cancel the job.
    await this.save(deployment, {
      jarId: jar.jarId,
      jarSha256: jar.sha256,
      flinkJobId,
      savepointPath: restorePath,
    });
    const run = (jarId: string) =>
      cluster.client.runJar(jarId, {
        entryClass: deployment.entryClass,
        programArgsList,
        jobId: flinkJobId,
        savepointPath: restorePath ?? undefined,
        allowNonRestoredState: false,
        // main() runs in the JobManager before it answers: give it the start budget.
        timeoutMs: cluster.startTimeoutMs,
      });
    try {
      await callFlink(cluster.name, 'run', async () => {
        try {
          await run(jar.jarId);
        } catch (error) {
          if (!isMissingJar(error, jar.jarId)) throw error;
          // The cluster lost the jar (a JobManager without its upload dir): no job was
          // submitted, so the same job id runs on a fresh upload.
          this.knownJars.delete(this.jarKey(cluster, job.jobType));
          Object.assign(
            jar,
            await this.ensureJar(cluster, job.jobType, deployment.templateVersion),
          );
          await this.save(deployment, { jarId: jar.jarId, jarSha256: jar.sha256 });
          await run(jar.jarId);
        }
      });
      await this.waitRunning(cluster, flinkJobId);
    } catch (error) {
      // A run that may still come up stays on record: a retried start then joins it and
      // uninstall cancels it, instead of a second job consuming the same queue.
      if (!(await this.abandon(cluster, flinkJobId))) throw error;
      // The abandoned run may have completed a checkpoint (and acked inputs) before it gave up.
      const newest = await this.newestRestorePoint(cluster, flinkJobId, restorePath).catch(
        () => restorePath,
      );
      await this.save(deployment, {
        jarId: jar.jarId,
        jarSha256: jar.sha256,
        flinkJobId: null,
        savepointPath: newest,
      });
      throw error;
    }
  }

  async stop(job: DriverJob, options: StateOptions = {}): Promise<RuleSnapshot | undefined> {
    const cluster = this.cluster(job.targetResource);
    const deployment = await this.deploymentOn(cluster, job);
    const flinkJobId = deployment.flinkJobId;
    if (!flinkJobId) return undefined;
    let savepointPath = deployment.savepointPath;
    let stopSavepoint: string | null = null;
    try {
      const result = await callFlink(cluster.name, 'stop', () =>
        cluster.client.stopWithSavepoint(flinkJobId, {
          // Windows stay in the savepoint instead of being flushed by MAX_WATERMARK.
          drain: false,
          timeoutMs: cluster.savepointTimeoutMs,
        }),
      );
      savepointPath = stopSavepoint = result.location;
    } catch (error) {
      // A job that already ended has nothing left to stop; anything else is a real refusal.
      if (await this.isAlive(cluster, flinkJobId)) throw error;
      // Its newest checkpoint, never the older path it was started from.
      savepointPath = await this.newestRestorePoint(cluster, flinkJobId, deployment.savepointPath);
    }
    await this.waitEnded(cluster, flinkJobId);
    // FINISHED: every sink's close() saw its outputs confirmed (else it throws and the job fails).
    const confirmed =
      stopSavepoint !== null && (await this.endState(cluster, flinkJobId)) === 'FINISHED';
    await this.save(deployment, {
      flinkJobId: null,
      savepointPath,
      confirmedSavepointPath: confirmed ? stopSavepoint : null,
    });
    return options.exportState ? this.exportState(cluster, deployment) : undefined;
  }

  async uninstall(job: DriverJob, options: StateOptions = {}): Promise<RuleSnapshot | undefined> {
    const deployment = await this.store.findDeployment(job.jobId);
    if (!deployment) return undefined;
    const cluster = this.cluster(deployment.cluster);
    // A stopped rule's state is its savepoint: read before the deployment that names it goes.
    const snapshot =
      options.exportState && !deployment.flinkJobId
        ? await this.exportState(cluster, deployment)
        : undefined;
    if (deployment.flinkJobId) {
      const flinkJobId = deployment.flinkJobId;
      await callFlink(cluster.name, 'cancel', () =>
        cluster.client.cancelJob(flinkJobId).catch((error: unknown) => {
          if (!isAlreadyTerminal(error) && !isUnknownJob(error)) throw error;
        }),
      );
      await this.waitEnded(cluster, flinkJobId);
    }
    await this.store.deleteDeployment(job.jobId);
    return snapshot;
  }

  async requireCapacity(job: DriverJob, config: RuleConfig): Promise<void> {
    await this.requireFreeSlots(this.cluster(job.targetResource), config);
  }

  /**
   * A job needs one task slot per subtask of its widest operator (Flink shares a slot between a
   * subtask of each operator), i.e. the rule's parallelism. Flink would accept a job that does
   * not fit and leave it waiting for slots until the start timed out (2 min), or run it once
   * another job ended: refused instead, naming the field. Within SLOT_RELEASE_WAIT_MS of a job
   * of this driver ending on the cluster, a shortfall is read again until then, as Flink frees
   * that job's slots asynchronously. A point-in-time check: two starts racing for the last slots
   * can still both pass it.
   */
  private async requireFreeSlots(cluster: FlinkCluster, config: RuleConfig): Promise<void> {
    const needed = config.parallelism ?? 1;
    const read = () => callFlink(cluster.name, 'overview', () => cluster.client.overview());
    let overview = await read();
    const endedAt = this.jobEndedAt.get(cluster.name);
    while (
      needed > overview.slotsAvailable &&
      endedAt !== undefined &&
      this.now().getTime() < endedAt + SLOT_RELEASE_WAIT_MS
    ) {
      await this.sleep(this.pollIntervalMs);
      overview = await read();
    }
    if (needed > overview.slotsAvailable) {
      throw new Conflict(
        'jobConfig.parallelism',
        `parallelism ${needed} needs ${needed} free task slots and Flink cluster ${cluster.name} ` +
          `has ${overview.slotsAvailable} free of ${overview.slotsTotal}`,
      );
    }
  }

  /** Runs a bounded job of this driver (state import/export); its slots free up after it. */
  private async endingJob<T>(cluster: FlinkCluster, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } finally {
      this.jobEndedAt.set(cluster.name, this.now().getTime());
    }
  }

  canCarryState(kind: RuntimeKind): boolean {
    // Between Flink placements by savepoint; to and from agents by the neutral snapshot.
    return kind === 'flink' || kind === 'edge';
  }

  /** The neutral snapshot of a stopped stateful rule (undefined when stateless or never run). */
  private async exportState(
    cluster: FlinkCluster,
    deployment: FlinkDeployment,
  ): Promise<RuleSnapshot | undefined> {
    if (!this.templates.manifest(deployment.jobType).stateful || !deployment.savepointPath) {
      return undefined;
    }
    const jar = await this.ensureJar(cluster, deployment.jobType, deployment.templateVersion);
    const savepointPath = deployment.savepointPath;
    return this.endingJob(cluster, () =>
      this.stateTransfer.exportSnapshot(cluster, jar.jarId, deployment.config, savepointPath),
    );
  }

  /** Uploads the template's jar unless the cluster still has the one uploaded before. */
  private ensureJar(
    cluster: FlinkCluster,
    jobType: string,
    templateVersion: string,
  ): Promise<{ jarId: string; sha256: string }> {
    const ref = this.templates.artifact(jobType, 'flink');
    if (ref.version !== templateVersion) {
      throw new NotFound(
        'templateVersion',
        `template ${jobType} is at version ${ref.version}; version ${templateVersion} is no longer available`,
      );
    }
    const key = this.jarKey(cluster, jobType);
    const known = this.knownJars.get(key);
    if (known) return Promise.resolve({ ...known });
    // One upload at a time per jar, so concurrent installs of one template share it.
    let pending = this.jarUploads.get(key);
    if (!pending) {
      pending = this.uploadIfMissing(cluster, jobType, ref)
        .then((jar) => {
          this.knownJars.set(key, jar);
          return jar;
        })
        .finally(() => this.jarUploads.delete(key));
      this.jarUploads.set(key, pending);
    }
    return pending.then((jar) => ({ ...jar }));
  }

  private jarKey(cluster: FlinkCluster, jobType: string): string {
    const ref = this.templates.artifact(jobType, 'flink');
    return JSON.stringify([cluster.name, ref.version, ref.sha256]);
  }

  private async uploadIfMissing(
    cluster: FlinkCluster,
    jobType: string,
    ref: ArtifactRef,
  ): Promise<{ jarId: string; sha256: string }> {
    const known = await this.store.findJar(cluster.name, ref.version, ref.sha256);
    if (known) {
      const jars = await callFlink(cluster.name, 'list jars', () => cluster.client.listJars());
      if (jars.some((jar) => jar.id === known.jarId))
        return { jarId: known.jarId, sha256: ref.sha256 };
    }
    const artifact = await this.templates.readArtifact(jobType, ref.version, 'flink');
    const jarId = await callFlink(cluster.name, 'upload', () =>
      cluster.client.uploadJar({ bytes: artifact.bytes, fileName: basename(artifact.filePath) }),
    );
    await this.store.saveJar({
      cluster: cluster.name,
      templateVersion: ref.version,
      sha256: artifact.ref.sha256,
      jarId,
      uploadedAt: this.now(),
    });
    return { jarId, sha256: artifact.ref.sha256 };
  }

  private entryClassOf(jobType: string): string {
    const entryClass = this.templates.manifest(jobType).artifacts.flink?.entryClass;
    if (!entryClass) {
      throw new NotFound('headers.runtime', `template ${jobType} names no Flink entry class`);
    }
    return entryClass;
  }

  private cluster(name: string): FlinkCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) {
      const known = [...this.clusters.keys()].join(', ') || 'none';
      throw new NotFound('targetResource', `no Flink cluster named ${name} (known: ${known})`);
    }
    return cluster;
  }

  private async deploymentOn(cluster: FlinkCluster, job: DriverJob): Promise<FlinkDeployment> {
    const deployment = await this.store.findDeployment(job.jobId);
    if (!deployment || deployment.cluster !== cluster.name) {
      throw new NotFound(
        'jobId',
        `job ${job.jobId} is not installed on Flink cluster ${cluster.name}`,
      );
    }
    return deployment;
  }

  private async save(deployment: FlinkDeployment, patch: Partial<FlinkDeployment>): Promise<void> {
    Object.assign(deployment, patch, { updatedAt: this.now() });
    await this.store.saveDeployment(deployment);
  }

  private waitRunning(cluster: FlinkCluster, flinkJobId: string): Promise<unknown> {
    return callFlink(cluster.name, 'start', () =>
      cluster.client.waitForJobRunning(flinkJobId, { timeoutMs: cluster.startTimeoutMs }),
    );
  }

  /**
   * Where a successor of the ended job `flinkJobId` must start: the newest of its completed
   * checkpoints and savepoints (one id sequence per job), else what it was itself restored from,
   * else `fallback` (the path recorded when it was started). A cluster that no longer knows the
   * job (restarted JobManager, expired job history) leaves only the fallback.
   */
  private async newestRestorePoint(
    cluster: FlinkCluster,
    flinkJobId: string,
    fallback: string | null,
  ): Promise<string | null> {
    let checkpoints: FlinkCheckpoints;
    try {
      checkpoints = await cluster.client.checkpoints(flinkJobId);
    } catch (error) {
      if (isUnknownJob(error)) return fallback;
      throw toDriverError(cluster.name, 'checkpoints', error);
    }
    const completed = [checkpoints.latestCompleted, checkpoints.latestSavepoint]
      .filter((c): c is FlinkCompletedCheckpoint => c !== undefined && !c.discarded)
      .sort((a, b) => b.id - a.id);
    return completed[0]?.externalPath ?? checkpoints.restored?.externalPath ?? fallback;
  }

  /**
   * Whether Flink knows the job and it has not ended, read from the live job overview (GET
   * /jobs/{id} is cached for seconds, which would hold every stop and move that long).
   */
  private async isAlive(cluster: FlinkCluster, flinkJobId: string): Promise<boolean> {
    const job = await callFlink(cluster.name, 'job status', () =>
      cluster.client.jobProgress(flinkJobId),
    );
    return job !== undefined && !TERMINAL_JOB_STATES.has(job.state);
  }

  /** The state the ended job `flinkJobId` ended in (undefined when Flink forgot it). */
  private async endState(cluster: FlinkCluster, flinkJobId: string): Promise<string | undefined> {
    const job = await callFlink(cluster.name, 'job status', () =>
      cluster.client.jobProgress(flinkJobId),
    );
    return job?.state;
  }

  /** Until the job has ended, so none of its consumers still takes from the input queue. */
  private async waitEnded(cluster: FlinkCluster, flinkJobId: string): Promise<void> {
    const deadline = this.now().getTime() + cluster.savepointTimeoutMs;
    while (await this.isAlive(cluster, flinkJobId)) {
      if (this.now().getTime() >= deadline) {
        throw new RuleshiftError(
          'RUNTIME_ERROR',
          `Flink job ${flinkJobId} on cluster ${cluster.name} did not end within ${cluster.savepointTimeoutMs} ms`,
        );
      }
      await this.sleep(this.pollIntervalMs);
    }
    // Its slots may show as taken for a moment after it ended (requireFreeSlots waits for them).
    this.jobEndedAt.set(cluster.name, this.now().getTime());
  }

  /**
   * After a failed start: cancels the run and waits for it to end, so a half-started job keeps
   * no slot and consumes nothing. False when its end could not be confirmed (Flink did not
   * answer): the run may still come up.
   */
  private async abandon(cluster: FlinkCluster, flinkJobId: string): Promise<boolean> {
    try {
      await cluster.client.cancelJob(flinkJobId).catch((error: unknown) => {
        // Never submitted, or already ended: nothing to cancel.
        if (!isUnknownJob(error) && !isAlreadyTerminal(error)) throw error;
      });
      await this.waitEnded(cluster, flinkJobId);
      return true;
    } catch {
      return false;
    }
  }
}
