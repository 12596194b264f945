import {
  FlinkApiError,
  FlinkUnavailableError,
  type FlinkCheckpoints,
  type FlinkJar,
  type FlinkJob,
  type FlinkJobExceptions,
  type FlinkJobProgress,
  type FlinkJobState,
  type FlinkMetricSum,
  type FlinkOverview,
  type FlinkVertexBackpressure,
  type JarSource,
  type RunJarOptions,
  type SavepointResult,
  type StopWithSavepointOptions,
  type WaitOptions,
} from '@ruleshift/flink-client';
import type { FlinkClientPort } from '../flink-cluster';

interface FakeJob {
  state: FlinkJobState;
  rootException?: string;
  /** Ids of one job's checkpoints and savepoints share a sequence, as on Flink. */
  nextCheckpointId?: number;
  checkpoints?: FlinkCheckpoints;
  /** Operator metrics of the job's one vertex, summed over subtasks (id -> value). */
  metrics?: Record<string, number>;
  /** Saturation of the job's one vertex (none: idle). */
  backpressure?: Omit<FlinkVertexBackpressure, 'level' | 'endTimestamp'>;
}

/** The one vertex every fake job has. */
export const FAKE_VERTEX_ID = 'f'.repeat(32);

export interface FakeRun {
  jarId: string;
  options: RunJarOptions;
}

/** A Flink session cluster in memory: jars, jobs and their states, and every call made. */
export class FakeFlinkClient implements FlinkClientPort {
  readonly baseUrl = 'http://flink.test:8081';
  readonly jars = new Map<string, FlinkJar>();
  readonly jobs = new Map<string, FakeJob>();
  readonly uploads: string[] = [];
  readonly runs: FakeRun[] = [];
  readonly cancels: string[] = [];
  readonly stops: { jobId: string; options: StopWithSavepointOptions }[] = [];
  /** Every call made, by name, in order. */
  readonly calls: string[] = [];
  reachable = true;
  taskmanagers = 1;
  /** When set, runJar is refused with this Flink error text (HTTP 400). */
  refuseRun: string | null = null;
  /** State the job reaches after runJar (RUNNING, or FAILED to simulate a crash at start). */
  stateAfterRun: FlinkJobState = 'RUNNING';
  /**
   * State the bounded state export/import jobs reach after runJar: FINISHED at once, or RUNNING
   * for one that does not finish within the wait (a timeout).
   */
  stateJobState: FlinkJobState = 'FINISHED';
  /** State a stopped job ends in (FAILED: a sink's close() threw after the savepoint). */
  stateAfterStop: FlinkJobState = 'FINISHED';
  /** What a finished state export job leaves as its accumulator, by entry class run. */
  exportedSnapshot: unknown = null;
  /**
   * Flink frees an ended job's slot asynchronously: /overview still counts it as taken for this
   * many reads after the job ended (0: at once).
   */
  slotReleaseReads = 0;
  /** Per ended job whose slot is not yet free, the /overview reads left until it is. */
  private readonly releasing: number[] = [];
  /** The savepoint directory the cluster's configuration names. */
  savepointDir = 'file:///flink/savepoints';
  private nextJar = 1;
  private nextSavepoint = 1;

  overview(): Promise<FlinkOverview> {
    return this.answer('overview', () => {
      const overview = {
        taskmanagers: this.taskmanagers,
        slotsTotal: 4 * this.taskmanagers,
        slotsAvailable: 4 * this.taskmanagers - this.running().length - this.releasing.length,
        jobsRunning: this.running().length,
        flinkVersion: '1.20.5',
      };
      for (let i = this.releasing.length - 1; i >= 0; i--) {
        if (--this.releasing[i] <= 0) this.releasing.splice(i, 1);
      }
      return overview;
    });
  }

  uploadJar(source: JarSource): Promise<string> {
    return this.answer('uploadJar', () => {
      const fileName = typeof source === 'string' ? source : source.fileName;
      const id = `${this.nextJar++}-uuid_${fileName}`;
      this.jars.set(id, { id, name: fileName, uploaded: Date.now(), entryClasses: [] });
      this.uploads.push(id);
      return id;
    });
  }

  listJars(): Promise<FlinkJar[]> {
    return this.answer('listJars', () => [...this.jars.values()]);
  }

  runJar(jarId: string, options: RunJarOptions): Promise<string> {
    return this.answer('runJar', () => {
      if (!this.jars.has(jarId)) {
        // Flink 1.20's answer, word for word, for a jar no longer in its upload directory.
        throw new FlinkApiError('runJar', 500, [
          'Internal server error.',
          `<Exception on server side:\njava.util.concurrent.CompletionException: org.apache.flink.runtime.rest.handler.RestHandlerException: Jar file /tmp/flink-web-upload/${jarId} does not exist\n\tat X.y(X.java:1)\n\nEnd of exception on server side>`,
        ]);
      }
      if (this.refuseRun) throw new FlinkApiError('runJar', 400, [this.refuseRun]);
      this.runs.push({ jarId, options });
      const jobId = options.jobId ?? 'f'.repeat(32);
      if (options.entryClass.startsWith('io.ruleshift.flink.Snapshot')) {
        // The State Processor API jobs are bounded: they finish at once here, unless told not to.
        this.jobs.set(jobId, { state: this.stateJobState });
        if (this.stateJobState === 'FINISHED') this.ended();
        return jobId;
      }
      this.jobs.set(jobId, {
        state: this.stateAfterRun,
        rootException:
          this.stateAfterRun === 'FAILED' ? 'java.io.IOException: queue not found' : undefined,
        nextCheckpointId: 1,
        checkpoints: {
          restored: options.savepointPath
            ? { id: 0, externalPath: options.savepointPath }
            : undefined,
        },
      });
      return jobId;
    });
  }

  getJob(jobId: string): Promise<FlinkJob> {
    return this.answer('getJob', () => {
      const job = this.job(jobId, 'getJob');
      return {
        jobId,
        name: 'rule',
        state: job.state,
        startTime: 0,
        vertices: [{ id: FAKE_VERTEX_ID, name: 'rule', status: job.state, parallelism: 1 }],
      };
    });
  }

  vertexMetrics(
    jobId: string,
    vertexId: string,
    ids?: readonly string[],
  ): Promise<FlinkMetricSum[]> {
    return this.answer('vertexMetrics', () => {
      const metrics =
        vertexId === FAKE_VERTEX_ID ? (this.job(jobId, 'vertexMetrics').metrics ?? {}) : {};
      if (!ids) return Object.keys(metrics).map((id) => ({ id }));
      return ids.filter((id) => id in metrics).map((id) => ({ id, sum: metrics[id] }));
    });
  }

  vertexBackpressure(
    jobId: string,
    vertexId: string,
  ): Promise<FlinkVertexBackpressure | undefined> {
    return this.answer('vertexBackpressure', () => {
      const ratios =
        vertexId === FAKE_VERTEX_ID
          ? this.job(jobId, 'vertexBackpressure').backpressure
          : undefined;
      const { backPressuredRatio = 0, busyRatio = 0 } = ratios ?? {};
      const level = Math.max(backPressuredRatio, busyRatio) > 0.5 ? 'high' : 'ok';
      return { level, backPressuredRatio, busyRatio, endTimestamp: Date.now() };
    });
  }

  jobExceptions(jobId: string): Promise<FlinkJobExceptions> {
    return this.answer('jobExceptions', () => ({
      rootException: this.job(jobId, 'jobExceptions').rootException,
      history: [],
    }));
  }

  jobProgress(jobId: string): Promise<FlinkJobProgress | undefined> {
    return this.answer('jobProgress', () => {
      const job = this.jobs.get(jobId);
      if (!job) return undefined;
      const running = job.state === 'RUNNING' ? 1 : 0;
      return { jobId, name: 'rule', state: job.state, tasks: { running, total: 1 } };
    });
  }

  async waitForJobRunning(jobId: string, _options: WaitOptions): Promise<FlinkJobProgress> {
    const job = await this.jobProgress(jobId);
    if (job?.state !== 'RUNNING') {
      throw new FlinkApiError('waitForJobRunning', 500, [`job ${jobId} is ${job?.state}`]);
    }
    return job;
  }

  async waitForJobFinished(jobId: string, _options: WaitOptions): Promise<void> {
    const job = await this.jobProgress(jobId);
    if (job?.state !== 'FINISHED') {
      throw new FlinkApiError('waitForJobFinished', 500, [`job ${jobId} is ${job?.state}`]);
    }
  }

  jobAccumulators(jobId: string): Promise<Record<string, string>> {
    return this.answer('jobAccumulators', (): Record<string, string> => {
      this.job(jobId, 'jobAccumulators');
      return this.exportedSnapshot
        ? { 'ruleshift-snapshot': JSON.stringify(this.exportedSnapshot) }
        : {};
    });
  }

  jobManagerConfig(): Promise<Record<string, string>> {
    return this.answer('jobManagerConfig', () => ({
      'execution.checkpointing.savepoint-dir': this.savepointDir,
    }));
  }

  cancelJob(jobId: string): Promise<void> {
    return this.answer('cancelJob', () => {
      const job = this.job(jobId, 'cancelJob');
      this.cancels.push(jobId);
      if (job.state !== 'RUNNING') {
        throw new FlinkApiError('cancelJob', 409, [`job ${jobId} is already ${job.state}`]);
      }
      job.state = 'CANCELED';
      this.ended();
    });
  }

  stopWithSavepoint(
    jobId: string,
    options: StopWithSavepointOptions = {},
  ): Promise<SavepointResult> {
    return this.answer('stopWithSavepoint', () => {
      const job = this.job(jobId, 'stopWithSavepoint');
      if (job.state !== 'RUNNING') {
        throw new FlinkApiError('stopWithSavepoint', 409, [`job ${jobId} is ${job.state}`]);
      }
      this.stops.push({ jobId, options });
      job.state = this.stateAfterStop;
      this.ended();
      const location = `file:/savepoints/savepoint-${this.nextSavepoint++}`;
      job.checkpoints = { ...job.checkpoints, latestSavepoint: this.completed(job, location) };
      return { location };
    });
  }

  checkpoints(jobId: string): Promise<FlinkCheckpoints> {
    return this.answer('checkpoints', () => ({ ...this.job(jobId, 'checkpoints').checkpoints }));
  }

  /** Simulates the job completing a (retained) checkpoint; returns its path. */
  completeCheckpoint(jobId: string): string {
    const job = this.job(jobId, 'completeCheckpoint');
    const id = job.nextCheckpointId ?? 1;
    const location = `file:/checkpoints/${jobId}/chk-${id}`;
    job.checkpoints = { ...job.checkpoints, latestCompleted: this.completed(job, location) };
    return location;
  }

  /** Simulates the cluster failing a job, e.g. a lost broker connection. */
  fail(jobId: string, rootException: string): void {
    this.jobs.set(jobId, { ...this.jobs.get(jobId), state: 'FAILED', rootException });
  }

  /** Simulates a JobManager that no longer remembers the job (restarted, history expired). */
  forget(jobId: string): void {
    this.jobs.delete(jobId);
  }

  running(): string[] {
    return [...this.jobs].filter(([, job]) => job.state === 'RUNNING').map(([id]) => id);
  }

  private ended(): void {
    if (this.slotReleaseReads > 0) this.releasing.push(this.slotReleaseReads);
  }

  private completed(job: FakeJob, externalPath: string) {
    const id = job.nextCheckpointId ?? 1;
    job.nextCheckpointId = id + 1;
    return { id, externalPath, triggerTimestamp: 1000 * id, discarded: false };
  }

  private job(jobId: string, call: string): FakeJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new FlinkApiError(call, 404, [`Job ${jobId} not found`]);
    return job;
  }

  private answer<T>(call: string, body: () => T): Promise<T> {
    this.calls.push(call);
    if (!this.reachable) {
      return Promise.reject(new FlinkUnavailableError(call, this.baseUrl, 'ECONNREFUSED'));
    }
    try {
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
