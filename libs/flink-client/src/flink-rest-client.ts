import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationFailed } from '@ruleshift/contracts';
import {
  FlinkApiError,
  FlinkJobFailedError,
  FlinkSavepointFailedError,
  FlinkTimeoutError,
  FlinkUnavailableError,
} from './errors';
import {
  FlinkCheckpoints,
  FlinkJar,
  FlinkJob,
  FlinkMetricSum,
  FlinkVertexBackpressure,
  FlinkJobExceptions,
  FlinkJobProgress,
  FlinkJobState,
  FlinkOverview,
  RunJarOptions,
  SavepointResult,
  StopWithSavepointOptions,
  TERMINAL_JOB_STATES,
  TriggerSavepointOptions,
  WaitOptions,
} from './types';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface FlinkRestClientOptions {
  baseUrl: string;
  /** Defaults to the global fetch (Node 20). */
  fetch?: FetchFn;
  /** Per-request timeout; a request that takes longer is a FlinkUnavailableError. */
  requestTimeoutMs?: number;
  /** Uploads move whole jars, so they get their own, longer timeout. */
  uploadTimeoutMs?: number;
  /** Delay between polls in waitForJobRunning and the savepoint waits. */
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  readFile?: (path: string) => Promise<Uint8Array>;
}

export type JarSource = string | { bytes: Uint8Array; fileName: string };

const JOB_ID = /^[0-9a-f]{32}$/;

/** Typed client for the parts of Flink's REST API that run jobs on a session cluster. */
export class FlinkRestClient {
  readonly baseUrl: string;
  private readonly fetchFn: FetchFn;
  private readonly requestTimeoutMs: number;
  private readonly uploadTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly readFile: (path: string) => Promise<Uint8Array>;

  constructor(options: FlinkRestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => Date.now());
    this.readFile = options.readFile ?? ((path) => readFile(path));
  }

  async overview(): Promise<FlinkOverview> {
    const body = await this.request<RawOverview>('overview', 'GET', '/overview');
    return {
      taskmanagers: body.taskmanagers,
      slotsTotal: body['slots-total'],
      slotsAvailable: body['slots-available'],
      jobsRunning: body['jobs-running'],
      flinkVersion: body['flink-version'],
    };
  }

  /** Uploads a jar and returns its jar id (what /jars/{jarid}/run takes). */
  async uploadJar(source: JarSource): Promise<string> {
    const { bytes, fileName } =
      typeof source === 'string'
        ? { bytes: await this.readFile(source), fileName: basename(source) }
        : source;
    if (!fileName.endsWith('.jar')) {
      // Flink rejects uploads whose file name does not end in .jar.
      throw new ValidationFailed([{ field: 'fileName', reason: 'must end with .jar' }]);
    }
    const form = new FormData();
    form.append('jarfile', new Blob([bytes], { type: 'application/x-java-archive' }), fileName);
    const body = await this.request<RawUpload>(
      'uploadJar',
      'POST',
      '/jars/upload',
      form,
      this.uploadTimeoutMs,
    );
    // `filename` is the server-side path; its basename is the jar id.
    return basename(body.filename);
  }

  async listJars(): Promise<FlinkJar[]> {
    const body = await this.request<RawJarList>('listJars', 'GET', '/jars');
    return body.files.map((file) => ({
      id: file.id,
      name: file.name,
      uploaded: file.uploaded,
      entryClasses: (file.entry ?? []).map((entry) => entry.name),
    }));
  }

  async deleteJar(jarId: string): Promise<void> {
    await this.request('deleteJar', 'DELETE', `/jars/${encodeURIComponent(jarId)}`);
  }

  /** Runs the jar's main() in the JobManager and returns the id of the job it submitted. */
  async runJar(jarId: string, options: RunJarOptions): Promise<string> {
    if (options.jobId !== undefined) assertJobId(options.jobId, 'jobId');
    const payload = {
      entryClass: options.entryClass,
      programArgsList: options.programArgsList ?? [],
      parallelism: options.parallelism,
      jobId: options.jobId,
      savepointPath: options.savepointPath,
      allowNonRestoredState: options.allowNonRestoredState,
    };
    const body = await this.request<RawRun>(
      'runJar',
      'POST',
      `/jars/${encodeURIComponent(jarId)}/run`,
      json(payload),
      options.timeoutMs,
    );
    return body.jobid;
  }

  async getJob(jobId: string): Promise<FlinkJob> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawJob>('getJob', 'GET', `/jobs/${jobId}`);
    return {
      jobId: body.jid,
      name: body.name,
      state: body.state,
      startTime: body['start-time'],
      vertices: body.vertices.map((vertex) => ({
        id: vertex.id,
        name: vertex.name,
        status: vertex.status,
        parallelism: vertex.parallelism,
      })),
    };
  }

  /**
   * The metrics of a job vertex summed over its subtasks (GET
   * /jobs/{jid}/vertices/{vid}/subtasks/metrics): without `ids`, which metrics exist (no
   * values); with them, their sums. Operator metrics are `<operator name>.<metric>`, the name
   * with Flink's replacements (`.`, `:` and spaces become `_`).
   */
  async vertexMetrics(
    jobId: string,
    vertexId: string,
    ids?: readonly string[],
  ): Promise<FlinkMetricSum[]> {
    assertJobId(jobId, 'jobId');
    assertVertexId(vertexId);
    const query = ids ? `?get=${ids.map(encodeURIComponent).join(',')}&agg=sum` : '';
    const body = await this.request<{ id: string; sum?: number }[]>(
      'vertexMetrics',
      'GET',
      `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics${query}`,
    );
    return body.map((m) => (m.sum === undefined ? { id: m.id } : { id: m.id, sum: m.sum }));
  }

  /**
   * How saturated a vertex's subtasks are (GET /jobs/{jid}/vertices/{vid}/backpressure, which
   * Flink 1.20 derives from the backPressuredTimeMsPerSecond, busyTimeMsPerSecond and
   * idleTimeMsPerSecond task metrics): the highest ratio over its subtasks of each. Undefined
   * while Flink has no figures yet: its first answer for a vertex only asks the TaskManagers
   * (`"status": "deprecated"`). A ratio Flink cannot measure ("NaN": the busy time of a legacy
   * source) counts as 0.
   */
  async vertexBackpressure(
    jobId: string,
    vertexId: string,
  ): Promise<FlinkVertexBackpressure | undefined> {
    assertJobId(jobId, 'jobId');
    assertVertexId(vertexId);
    const body = await this.request<RawBackpressure>(
      'vertexBackpressure',
      'GET',
      `/jobs/${jobId}/vertices/${vertexId}/backpressure`,
    );
    if (body.status !== 'ok') return undefined;
    const subtasks = body.subtasks ?? [];
    const highest = (pick: (s: RawBackpressureSubtask) => unknown): number =>
      subtasks.reduce<number>((max, s) => {
        const ratio = pick(s);
        return typeof ratio === 'number' && Number.isFinite(ratio) ? Math.max(max, ratio) : max;
      }, 0);
    return {
      level: body['backpressure-level'],
      backPressuredRatio: highest((s) => s.ratio),
      busyRatio: highest((s) => s.busyRatio),
      endTimestamp: body['end-timestamp'],
    };
  }

  async jobExceptions(jobId: string): Promise<FlinkJobExceptions> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawExceptions>(
      'jobExceptions',
      'GET',
      `/jobs/${jobId}/exceptions`,
    );
    const history = (body.exceptionHistory?.entries ?? []).map((entry) => ({
      exceptionName: entry.exceptionName,
      stacktrace: entry.stacktrace,
      timestamp: entry.timestamp,
      taskName: entry.taskName ?? undefined,
    }));
    return {
      rootException: body['root-exception'] ?? history[0]?.stacktrace,
      timestamp: body.timestamp ?? history[0]?.timestamp,
      history,
    };
  }

  /**
   * The job's line of GET /jobs/overview (state and subtasks per state, live), or undefined
   * when the cluster does not know the job (never submitted, or forgotten after a restart).
   */
  async jobProgress(jobId: string): Promise<FlinkJobProgress | undefined> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawJobsOverview>('jobProgress', 'GET', '/jobs/overview');
    const job = body.jobs.find((j) => j.jid === jobId);
    return job && { jobId: job.jid, name: job.name, state: job.state, tasks: job.tasks };
  }

  /**
   * Resolves once the job is RUNNING and so is every one of its subtasks (the job turns RUNNING
   * before its tasks are deployed). Polls the live job overview: GET /jobs/{id} is cached for
   * Flink's web.refresh-interval and would see RUNNING up to 3 s late. Rejects at once if the
   * job ends (FAILED, CANCELED, ...), with the root exception; on timeout, with the last state
   * and the latest exception seen. A poll that gets no answer is retried until the timeout,
   * whose error it then is.
   */
  async waitForJobRunning(jobId: string, options: WaitOptions): Promise<FlinkJobProgress> {
    const deadline = this.now() + options.timeoutMs;
    for (;;) {
      let job: FlinkJobProgress | undefined;
      try {
        job = await this.jobProgress(jobId);
      } catch (error) {
        // One poll without an answer (a JobManager busy restoring, a long GC) says nothing
        // about the job: only the wait's own deadline ends the wait.
        if (!(error instanceof FlinkUnavailableError) || this.now() >= deadline) throw error;
        await this.sleep(this.pollIntervalMs);
        continue;
      }
      const total = job?.tasks.total ?? 0;
      if (job?.state === 'RUNNING' && total > 0 && job.tasks.running === total) return job;
      if (job && TERMINAL_JOB_STATES.has(job.state)) {
        throw new FlinkJobFailedError(jobId, job.state, await this.rootCauseOrUndefined(jobId));
      }
      if (this.now() >= deadline) {
        const cause = await this.rootCauseOrUndefined(jobId);
        throw new FlinkTimeoutError(
          `waiting for Flink job ${jobId} to run`,
          options.timeoutMs,
          (job ? `job ${job.state}; subtasks ${describeTasks(job.tasks)}` : 'job not listed') +
            (cause ? `; last exception: ${cause}` : ''),
        );
      }
      await this.sleep(this.pollIntervalMs);
    }
  }

  /**
   * Resolves once the job FINISHED (a bounded job, e.g. a State Processor API job). Rejects at
   * once, with the root exception, when it ended otherwise; on timeout with its last state.
   */
  async waitForJobFinished(jobId: string, options: WaitOptions): Promise<void> {
    const deadline = this.now() + options.timeoutMs;
    for (;;) {
      const job = await this.jobProgress(jobId);
      if (job?.state === 'FINISHED') return;
      if (job && TERMINAL_JOB_STATES.has(job.state)) {
        throw new FlinkJobFailedError(jobId, job.state, await this.rootCauseOrUndefined(jobId));
      }
      if (this.now() >= deadline) {
        throw new FlinkTimeoutError(
          `waiting for Flink job ${jobId} to finish`,
          options.timeoutMs,
          job ? `job ${job.state}` : 'job not listed',
        );
      }
      await this.sleep(this.pollIntervalMs);
    }
  }

  /** The job's user accumulators by name, values as Flink's REST API shows them (text). */
  async jobAccumulators(jobId: string): Promise<Record<string, string>> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawAccumulators>(
      'jobAccumulators',
      'GET',
      `/jobs/${jobId}/accumulators?includeSerializedValue=false`,
    );
    const values: Record<string, string> = {};
    for (const acc of body['user-task-accumulators'] ?? []) values[acc.name] = acc.value;
    return values;
  }

  /** The JobManager's effective configuration (GET /jobmanager/config), key to value. */
  async jobManagerConfig(): Promise<Record<string, string>> {
    const body = await this.request<{ key: string; value: string }[]>(
      'jobManagerConfig',
      'GET',
      '/jobmanager/config',
    );
    return Object.fromEntries(body.map((entry) => [entry.key, entry.value]));
  }

  /**
   * The job's newest completed checkpoint, newest savepoint and what it was restored from
   * (GET /jobs/{id}/checkpoints); Flink answers this for ended jobs too while it remembers them.
   */
  async checkpoints(jobId: string): Promise<FlinkCheckpoints> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawCheckpoints>(
      'checkpoints',
      'GET',
      `/jobs/${jobId}/checkpoints`,
    );
    const completed = (raw: RawCompletedCheckpoint | null | undefined) =>
      raw?.external_path
        ? {
            id: raw.id,
            externalPath: raw.external_path,
            triggerTimestamp: raw.trigger_timestamp,
            discarded: raw.discarded ?? false,
          }
        : undefined;
    const restored = body.latest?.restored;
    return {
      latestCompleted: completed(body.latest?.completed),
      latestSavepoint: completed(body.latest?.savepoint),
      restored: restored?.external_path
        ? { id: restored.id, externalPath: restored.external_path }
        : undefined,
    };
  }

  /** Cancels without a savepoint. Flink answers 409 if the job has already ended. */
  async cancelJob(jobId: string): Promise<void> {
    assertJobId(jobId, 'jobId');
    await this.request('cancelJob', 'PATCH', `/jobs/${jobId}?mode=cancel`);
  }

  /** Takes a savepoint and stops the job; resolves with the savepoint's location. */
  async stopWithSavepoint(
    jobId: string,
    options: StopWithSavepointOptions = {},
  ): Promise<SavepointResult> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawTrigger>(
      'stopWithSavepoint',
      'POST',
      `/jobs/${jobId}/stop`,
      json({ targetDirectory: options.targetDirectory, drain: options.drain ?? false }),
    );
    return this.waitForSavepoint(jobId, body['request-id'], options.timeoutMs);
  }

  /** Takes a savepoint and leaves the job running. */
  async triggerSavepoint(
    jobId: string,
    options: TriggerSavepointOptions = {},
  ): Promise<SavepointResult> {
    assertJobId(jobId, 'jobId');
    const body = await this.request<RawTrigger>(
      'triggerSavepoint',
      'POST',
      `/jobs/${jobId}/savepoints`,
      json({ 'target-directory': options.targetDirectory, 'cancel-job': false }),
    );
    return this.waitForSavepoint(jobId, body['request-id'], options.timeoutMs);
  }

  private async waitForSavepoint(
    jobId: string,
    triggerId: string,
    timeoutMs = 60_000,
  ): Promise<SavepointResult> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const body = await this.request<RawSavepointStatus>(
        'savepointStatus',
        'GET',
        `/jobs/${jobId}/savepoints/${encodeURIComponent(triggerId)}`,
      );
      if (body.status.id === 'COMPLETED') {
        const failure = body.operation?.['failure-cause'];
        if (failure || !body.operation?.location) {
          const cause = failure?.['stack-trace'] ?? failure?.class ?? 'no location returned';
          throw new FlinkSavepointFailedError(jobId, triggerId, cause);
        }
        return { location: body.operation.location };
      }
      if (this.now() >= deadline) {
        throw new FlinkTimeoutError(
          `savepoint ${triggerId} of Flink job ${jobId}`,
          timeoutMs,
          `status ${body.status.id}`,
        );
      }
      await this.sleep(this.pollIntervalMs);
    }
  }

  /** Best effort: a failure to read the exceptions must not hide the failure being reported. */
  private async rootCauseOrUndefined(jobId: string): Promise<string | undefined> {
    try {
      return (await this.jobExceptions(jobId)).rootException;
    } catch {
      return undefined;
    }
  }

  private async request<T = unknown>(
    call: string,
    method: string,
    path: string,
    body?: RequestInit['body'],
    timeoutMs = this.requestTimeoutMs,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (typeof body === 'string') headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new FlinkUnavailableError(call, this.baseUrl, describeFetchFailure(error, timeoutMs));
    }
    const parsed = parseJson(text);
    const flinkErrors = errorsOf(parsed);
    if (!response.ok || flinkErrors) {
      throw new FlinkApiError(call, response.status, flinkErrors ?? (text ? [text] : []));
    }
    return parsed as T;
  }
}

function assertJobId(value: string, field: string): void {
  if (!JOB_ID.test(value)) {
    throw new ValidationFailed([{ field, reason: 'must be 32 lowercase hex digits' }]);
  }
}

function assertVertexId(vertexId: string): void {
  if (!/^[0-9a-f]{32}$/.test(vertexId)) {
    throw new TypeError(`vertexId must be 32 hex digits, got ${vertexId.slice(0, 40)}`);
  }
}

/** JSON.stringify leaves out undefined fields, so options not given are not sent at all. */
function json(payload: Record<string, unknown>): string {
  return JSON.stringify(payload);
}

/** `running 2/3, deploying 1/3`: the states that have subtasks, out of the total. */
function describeTasks(tasks: Record<string, number>): string {
  const total = tasks.total ?? 0;
  const states = Object.entries(tasks).filter(([state, n]) => state !== 'total' && n > 0);
  return states.map(([state, n]) => `${state} ${n}/${total}`).join(', ') || `none of ${total}`;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorsOf(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return undefined;
  const errors = body.errors;
  return Array.isArray(errors) ? errors.map(String) : undefined;
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      return `no answer within ${timeoutMs} ms`;
    }
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
    }
    return error.message;
  }
  return String(error);
}

interface RawBackpressureSubtask {
  ratio?: number | string;
  busyRatio?: number | string;
}
interface RawBackpressure {
  status: string;
  'backpressure-level': string;
  'end-timestamp': number;
  subtasks?: RawBackpressureSubtask[];
}
interface RawOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'flink-version': string;
}
interface RawUpload {
  filename: string;
  status: string;
}
interface RawJarList {
  files: { id: string; name: string; uploaded: number; entry?: { name: string }[] }[];
}
interface RawRun {
  jobid: string;
}
interface RawJob {
  jid: string;
  name: string;
  state: FlinkJobState;
  'start-time': number;
  vertices: { id: string; name: string; status: string; parallelism: number }[];
}
interface RawJobsOverview {
  jobs: { jid: string; name: string; state: FlinkJobState; tasks: Record<string, number> }[];
}
interface RawExceptions {
  'root-exception'?: string | null;
  timestamp?: number | null;
  exceptionHistory?: {
    entries?: {
      exceptionName: string;
      stacktrace: string;
      timestamp: number;
      taskName?: string | null;
    }[];
  };
}
interface RawCompletedCheckpoint {
  id: number;
  trigger_timestamp: number;
  external_path?: string | null;
  discarded?: boolean;
}
interface RawCheckpoints {
  latest?: {
    completed?: RawCompletedCheckpoint | null;
    savepoint?: RawCompletedCheckpoint | null;
    restored?: { id: number; external_path?: string | null } | null;
  };
}
interface RawTrigger {
  'request-id': string;
}
interface RawSavepointStatus {
  status: { id: 'IN_PROGRESS' | 'COMPLETED' };
  operation?: {
    location?: string;
    'failure-cause'?: { class?: string; 'stack-trace'?: string };
  };
}

interface RawAccumulators {
  'user-task-accumulators'?: { name: string; type: string; value: string }[];
}
