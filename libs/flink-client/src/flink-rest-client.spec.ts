import { RuleshiftError } from '@ruleshift/contracts';
import {
  FlinkApiError,
  FlinkJobFailedError,
  FlinkSavepointFailedError,
  FlinkTimeoutError,
  FlinkUnavailableError,
} from './errors';
import { FetchFn, FlinkRestClient } from './flink-rest-client';

interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: RequestInit['body'];
}

type Reply = { status?: number; body?: unknown } | Error;

/** Answers each request with the next reply queued for "METHOD path"; records every call. */
class FakeFlink {
  readonly calls: RecordedCall[] = [];
  private readonly replies = new Map<string, Reply[]>();

  on(route: string, ...replies: Reply[]): this {
    this.replies.set(route, [...(this.replies.get(route) ?? []), ...replies]);
    return this;
  }

  readonly fetch: FetchFn = (input, init) => {
    const method = init?.method ?? 'GET';
    this.calls.push({
      url: input,
      method,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body,
    });
    const route = `${method} ${input.replace('http://flink:8081', '')}`;
    const reply = this.replies.get(route)?.shift();
    if (!reply) return Promise.reject(new Error(`no reply queued for ${route}`));
    if (reply instanceof Error) return Promise.reject(reply);
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    return Promise.resolve(new Response(text, { status: reply.status ?? 200 }));
  };
}

const JOB = '0123456789abcdef0123456789abcdef';

/** One line of GET /jobs/overview for JOB; `tasks` counts subtasks per state, total added. */
function progressBody(state: string, tasks: Record<string, number>) {
  const total = Object.values(tasks).reduce((a, b) => a + b, 0);
  return { jid: JOB, name: 'rule', state, 'start-time': 1, tasks: { ...tasks, total } };
}

const otherJob = {
  jid: 'ffffffffffffffffffffffffffffffff',
  name: 'other',
  state: 'RUNNING',
  'start-time': 1,
  tasks: { running: 1, total: 1 },
};

const overviewBody = (...jobs: unknown[]) => ({ jobs });

function clientFor(
  flink: FakeFlink,
  extra: { readFile?: (p: string) => Promise<Uint8Array> } = {},
) {
  let clock = 0;
  const sleeps: number[] = [];
  const client = new FlinkRestClient({
    baseUrl: 'http://flink:8081/',
    fetch: flink.fetch,
    pollIntervalMs: 250,
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...extra,
  });
  return { client, sleeps };
}

describe('FlinkRestClient', () => {
  it('reads the overview and maps its kebab-case fields', async () => {
    const flink = new FakeFlink().on('GET /overview', {
      body: {
        taskmanagers: 1,
        'slots-total': 4,
        'slots-available': 3,
        'jobs-running': 1,
        'flink-version': '1.20.5',
      },
    });
    const { client } = clientFor(flink);

    await expect(client.overview()).resolves.toEqual({
      taskmanagers: 1,
      slotsTotal: 4,
      slotsAvailable: 3,
      jobsRunning: 1,
      flinkVersion: '1.20.5',
    });
    expect(flink.calls[0]).toMatchObject({ url: 'http://flink:8081/overview', method: 'GET' });
  });

  it('uploads a jar from a file as one multipart part and returns the basename as jar id', async () => {
    const flink = new FakeFlink().on('POST /jars/upload', {
      body: { status: 'success', filename: '/tmp/flink-web-upload/abc_rule.jar' },
    });
    const { client } = clientFor(flink, {
      readFile: (path) => {
        expect(path).toBe('/build/rule.jar');
        return Promise.resolve(new Uint8Array([1, 2, 3]));
      },
    });

    await expect(client.uploadJar('/build/rule.jar')).resolves.toBe('abc_rule.jar');
    const form = flink.calls[0].body as FormData;
    const part = form.get('jarfile') as File;
    expect(part.name).toBe('rule.jar');
    expect(part.type).toBe('application/x-java-archive');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    // fetch must set the multipart boundary itself.
    expect(flink.calls[0].headers['content-type']).toBeUndefined();
  });

  it('refuses to upload a file whose name does not end in .jar', async () => {
    const { client } = clientFor(new FakeFlink());
    await expect(
      client.uploadJar({ bytes: new Uint8Array([1]), fileName: 'rule.zip' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('lists and deletes jars', async () => {
    const flink = new FakeFlink()
      .on('GET /jars', {
        body: {
          address: 'x',
          files: [{ id: 'a_rule.jar', name: 'rule.jar', uploaded: 5, entry: [{ name: 'Main' }] }],
        },
      })
      .on('DELETE /jars/a_rule.jar', { body: {} });
    const { client } = clientFor(flink);

    await expect(client.listJars()).resolves.toEqual([
      { id: 'a_rule.jar', name: 'rule.jar', uploaded: 5, entryClasses: ['Main'] },
    ]);
    await client.deleteJar('a_rule.jar');
    expect(flink.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET http://flink:8081/jars',
      'DELETE http://flink:8081/jars/a_rule.jar',
    ]);
  });

  it('runs a jar with programArgsList, a chosen job id and a savepoint to restore', async () => {
    const flink = new FakeFlink().on('POST /jars/a_rule.jar/run', { body: { jobid: JOB } });
    const { client } = clientFor(flink);

    const jobId = await client.runJar('a_rule.jar', {
      entryClass: 'dev.ruleshift.Filter',
      programArgsList: ['--config', '{"a":1}'],
      parallelism: 1,
      jobId: JOB,
      savepointPath: 'file:/sp/1',
      allowNonRestoredState: true,
    });

    expect(jobId).toBe(JOB);
    expect(flink.calls[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(flink.calls[0].body as string)).toEqual({
      entryClass: 'dev.ruleshift.Filter',
      programArgsList: ['--config', '{"a":1}'],
      parallelism: 1,
      jobId: JOB,
      savepointPath: 'file:/sp/1',
      allowNonRestoredState: true,
    });
  });

  it('leaves out run options that were not given', async () => {
    const flink = new FakeFlink().on('POST /jars/j.jar/run', { body: { jobid: JOB } });
    const { client } = clientFor(flink);
    await client.runJar('j.jar', { entryClass: 'Main' });
    expect(JSON.parse(flink.calls[0].body as string)).toEqual({
      entryClass: 'Main',
      programArgsList: [],
    });
  });

  it('rejects a job id that is not 32 hex digits before calling Flink', async () => {
    const flink = new FakeFlink();
    const { client } = clientFor(flink);
    await expect(client.runJar('j.jar', { entryClass: 'M', jobId: 'abc' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(client.getJob('../overview')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(flink.calls).toHaveLength(0);
  });

  it("maps Flink's {errors} body on a non-2xx status to FlinkApiError with a short message", async () => {
    const trace =
      'org.apache.flink.runtime.rest.NotFoundException: Job x not found\n\tat A.b(A.java:1)\n' +
      'Caused by: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find x\n\tat C.d';
    const flink = new FakeFlink().on(`GET /jobs/${JOB}`, {
      status: 404,
      body: { errors: [trace] },
    });
    const { client } = clientFor(flink);

    const error = (await client.getJob(JOB).catch((e: unknown) => e)) as FlinkApiError;
    expect(error).toBeInstanceOf(FlinkApiError);
    expect(error).toBeInstanceOf(RuleshiftError);
    expect(error.code).toBe('RUNTIME_ERROR');
    expect(error.call).toBe('getJob');
    expect(error.status).toBe(404);
    expect(error.flinkErrors).toEqual([trace]);
    expect(error.message).toContain('NotFoundException: Job x not found');
    expect(error.message).toContain(
      'Caused by: org.apache.flink.runtime.messages.FlinkJobNotFound',
    );
    expect(error.message).not.toContain('A.java');
  });

  it('treats an {errors} body as an error even with status 200', async () => {
    const flink = new FakeFlink().on('GET /overview', { status: 200, body: { errors: ['boom'] } });
    const { client } = clientFor(flink);
    await expect(client.overview()).rejects.toMatchObject({
      name: 'FlinkApiError',
      status: 200,
      flinkErrors: ['boom'],
    });
  });

  it('keeps a non-JSON error body as the message', async () => {
    const flink = new FakeFlink().on('GET /overview', { status: 502, body: 'Bad Gateway' });
    const { client } = clientFor(flink);
    await expect(client.overview()).rejects.toMatchObject({
      status: 502,
      flinkErrors: ['Bad Gateway'],
    });
  });

  it('maps connection refused and timeouts to FlinkUnavailableError (RUNTIME_UNAVAILABLE)', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), {
        code: 'ECONNREFUSED',
      }),
    });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    const flink = new FakeFlink().on('GET /overview', refused, timeout);
    const { client } = clientFor(flink);

    const first = (await client.overview().catch((e: unknown) => e)) as FlinkUnavailableError;
    expect(first).toBeInstanceOf(FlinkUnavailableError);
    expect(first.code).toBe('RUNTIME_UNAVAILABLE');
    expect(first.message).toContain('ECONNREFUSED');
    await expect(client.overview()).rejects.toThrow(/no answer within 10000 ms/);
  });

  it('passes an abort signal so a hanging Flink times out', async () => {
    const flink = new FakeFlink().on('GET /overview', { body: {} });
    const seen: (AbortSignal | null | undefined)[] = [];
    const client = new FlinkRestClient({
      baseUrl: 'http://flink:8081',
      fetch: (input, init) => {
        seen.push(init?.signal);
        return flink.fetch(input, init);
      },
    });
    await client.overview();
    expect(seen[0]).toBeInstanceOf(AbortSignal);
  });

  it('waits on the live job overview until the job and every subtask are RUNNING', async () => {
    const flink = new FakeFlink().on(
      'GET /jobs/overview',
      { body: overviewBody() },
      { body: overviewBody(progressBody('INITIALIZING', {})) },
      { body: overviewBody(progressBody('RUNNING', { deploying: 2, scheduled: 1 })) },
      { body: overviewBody(progressBody('RUNNING', { running: 2, initializing: 1 })) },
      { body: overviewBody(otherJob, progressBody('RUNNING', { running: 3 })) },
    );
    const { client, sleeps } = clientFor(flink);

    const job = await client.waitForJobRunning(JOB, { timeoutMs: 10_000 });
    expect(job).toEqual({
      jobId: JOB,
      name: 'rule',
      state: 'RUNNING',
      tasks: expect.objectContaining({ running: 3, total: 3 }) as unknown,
    });
    expect(sleeps).toEqual([250, 250, 250, 250]);
    // GET /jobs/{id} is served from a cache Flink refreshes every web.refresh-interval (3 s by
    // default): a wait on it answers seconds after the job runs.
    expect(flink.calls.every((c) => c.url.endsWith('/jobs/overview'))).toBe(true);
  });

  it('keeps waiting through a poll that got no answer in time (a busy JobManager)', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    const flink = new FakeFlink().on(
      'GET /jobs/overview',
      { body: overviewBody(progressBody('INITIALIZING', {})) },
      timeout,
      { body: overviewBody(progressBody('RUNNING', { running: 1 })) },
    );
    const { client } = clientFor(flink);

    const job = await client.waitForJobRunning(JOB, { timeoutMs: 10_000 });
    expect(job.state).toBe('RUNNING');
  });

  it('gives up on an unanswered poll only at its own deadline', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const flink = new FakeFlink().on('GET /jobs/overview', refused, refused, refused);
    const { client, sleeps } = clientFor(flink);

    await expect(client.waitForJobRunning(JOB, { timeoutMs: 500 })).rejects.toBeInstanceOf(
      FlinkUnavailableError,
    );
    expect(sleeps).toEqual([250, 250]);
  });

  it('rejects at once with the root exception when the job FAILED', async () => {
    const flink = new FakeFlink()
      .on('GET /jobs/overview', { body: overviewBody(progressBody('FAILED', { failed: 1 })) })
      .on(`GET /jobs/${JOB}/exceptions`, {
        body: {
          'root-exception': 'java.lang.IllegalStateException: bad config\n\tat X.y(X.java:1)',
          timestamp: 7,
          exceptionHistory: { entries: [] },
        },
      });
    const { client, sleeps } = clientFor(flink);

    const error = (await client
      .waitForJobRunning(JOB, { timeoutMs: 10_000 })
      .catch((e: unknown) => e)) as FlinkJobFailedError;
    expect(error).toBeInstanceOf(FlinkJobFailedError);
    expect(error.state).toBe('FAILED');
    expect(error.message).toContain('IllegalStateException: bad config');
    expect(sleeps).toEqual([]);
  });

  it('times out with the last state, task counts and latest exception when the job keeps restarting', async () => {
    const restarting = { body: overviewBody(progressBody('RESTARTING', { canceling: 2 })) };
    const flink = new FakeFlink()
      .on('GET /jobs/overview', restarting, restarting, restarting)
      .on(`GET /jobs/${JOB}/exceptions`, {
        body: {
          exceptionHistory: {
            entries: [
              { exceptionName: 'E', stacktrace: 'java.io.IOException: no broker', timestamp: 3 },
            ],
          },
        },
      });
    const { client } = clientFor(flink);

    const error = (await client
      .waitForJobRunning(JOB, { timeoutMs: 500 })
      .catch((e: unknown) => e)) as FlinkTimeoutError;
    expect(error).toBeInstanceOf(FlinkTimeoutError);
    expect(error.lastSeen).toContain('RESTARTING');
    expect(error.lastSeen).toContain('canceling 2/2');
    expect(error.lastSeen).toContain('java.io.IOException: no broker');
  });

  it('reads a job from the live overview, undefined when the cluster does not know it', async () => {
    const flink = new FakeFlink().on(
      'GET /jobs/overview',
      { body: overviewBody(otherJob, progressBody('CANCELED', { canceled: 1 })) },
      { body: overviewBody(otherJob) },
    );
    const { client } = clientFor(flink);

    expect((await client.jobProgress(JOB))?.state).toBe('CANCELED');
    expect(await client.jobProgress(JOB)).toBeUndefined();
  });

  it('waits on the live overview until a bounded job FINISHED', async () => {
    const flink = new FakeFlink().on(
      'GET /jobs/overview',
      { body: overviewBody(progressBody('RUNNING', { running: 1 })) },
      { body: overviewBody(progressBody('FINISHED', { finished: 1 })) },
    );
    const { client, sleeps } = clientFor(flink);

    await client.waitForJobFinished(JOB, { timeoutMs: 5_000 });
    expect(sleeps).toEqual([250]);
  });

  it('rejects the wait for a finish with the root exception when the job FAILED', async () => {
    const flink = new FakeFlink()
      .on('GET /jobs/overview', { body: overviewBody(progressBody('FAILED', { failed: 1 })) })
      .on(`GET /jobs/${JOB}/exceptions`, {
        body: { 'root-exception': 'java.io.IOException: no savepoint' },
      });
    const { client } = clientFor(flink);

    const error = await client
      .waitForJobFinished(JOB, { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlinkJobFailedError);
    expect(String((error as Error).message)).toContain('no savepoint');
  });

  it('reads user accumulators by name and the JobManager configuration', async () => {
    const flink = new FakeFlink()
      .on(`GET /jobs/${JOB}/accumulators?includeSerializedValue=false`, {
        body: {
          'job-accumulators': [],
          'user-task-accumulators': [
            { name: 'ruleshift-snapshot', type: 'Text', value: '{"a":1}' },
          ],
          'serialized-user-task-accumulators': {},
        },
      })
      .on('GET /jobmanager/config', {
        body: [{ key: 'execution.checkpointing.savepoint-dir', value: 'file:///sp' }],
      });
    const { client } = clientFor(flink);

    expect(await client.jobAccumulators(JOB)).toEqual({ 'ruleshift-snapshot': '{"a":1}' });
    expect(await client.jobManagerConfig()).toEqual({
      'execution.checkpointing.savepoint-dir': 'file:///sp',
    });
  });

  it("lists a vertex's metrics, then reads the chosen ones summed over its subtasks", async () => {
    const vertex = 'f'.repeat(32);
    const path = `/jobs/${JOB}/vertices/${vertex}/subtasks/metrics`;
    const ids = ['Source__rmq-in-0_q.numRecordsOut', 'rmq-out_x__Writer.numRecordsIn'];
    const flink = new FakeFlink()
      .on(`GET ${path}`, { body: ids.map((id) => ({ id })) })
      .on(`GET ${path}?get=${ids.map(encodeURIComponent).join(',')}&agg=sum`, {
        body: [
          { id: ids[0], sum: 101 },
          { id: ids[1], sum: 50 },
        ],
      });
    const { client } = clientFor(flink);
    expect(await client.vertexMetrics(JOB, vertex)).toEqual(ids.map((id) => ({ id })));
    expect(await client.vertexMetrics(JOB, vertex, ids)).toEqual([
      { id: ids[0], sum: 101 },
      { id: ids[1], sum: 50 },
    ]);
    await expect(client.vertexMetrics(JOB, '../jars')).rejects.toThrow(/vertexId/);
  });

  it("reads a vertex's backpressure: Flink's level and its busiest subtask's ratios", async () => {
    const vertex = 'a'.repeat(32);
    const flink = new FakeFlink().on(`GET /jobs/${JOB}/vertices/${vertex}/backpressure`, {
      body: {
        status: 'ok',
        'backpressure-level': 'high',
        'end-timestamp': 1,
        subtasks: [
          { subtask: 0, 'backpressure-level': 'ok', ratio: 0.1, idleRatio: 0.2, busyRatio: 0.7 },
          { subtask: 1, 'backpressure-level': 'high', ratio: 0.9, idleRatio: 0, busyRatio: 0.1 },
          { subtask: 2, 'backpressure-level': 'ok', ratio: 0, idleRatio: 0, busyRatio: 'NaN' },
        ],
      },
    });
    const { client } = clientFor(flink);
    expect(await client.vertexBackpressure(JOB, vertex)).toEqual({
      level: 'high',
      backPressuredRatio: 0.9,
      busyRatio: 0.7,
      endTimestamp: 1,
    });
    await expect(client.vertexBackpressure(JOB, 'x')).rejects.toThrow(/vertexId/);
    // Flink's first answer for a vertex: no figures yet, it only asked its TaskManagers.
    const asked = 'b'.repeat(32);
    flink.on(`GET /jobs/${JOB}/vertices/${asked}/backpressure`, {
      body: { status: 'deprecated' },
    });
    expect(await client.vertexBackpressure(JOB, asked)).toBeUndefined();
  });

  it('cancels with PATCH ?mode=cancel', async () => {
    const flink = new FakeFlink().on(`PATCH /jobs/${JOB}?mode=cancel`, { status: 202, body: {} });
    const { client } = clientFor(flink);
    await client.cancelJob(JOB);
    expect(flink.calls[0]).toMatchObject({
      method: 'PATCH',
      url: `http://flink:8081/jobs/${JOB}?mode=cancel`,
    });
  });

  it('reads the latest completed checkpoint, savepoint and restore point of a job', async () => {
    const flink = new FakeFlink().on(`GET /jobs/${JOB}/checkpoints`, {
      body: {
        counts: { completed: 7 },
        latest: {
          completed: {
            id: 7,
            trigger_timestamp: 700,
            external_path: 'file:/cp/chk-7',
            discarded: false,
          },
          savepoint: { id: 3, trigger_timestamp: 300, external_path: 'file:/sp/savepoint-3' },
          failed: null,
          restored: { id: 2, external_path: 'file:/sp/savepoint-2', is_savepoint: true },
        },
      },
    });
    const { client } = clientFor(flink);
    await expect(client.checkpoints(JOB)).resolves.toEqual({
      latestCompleted: {
        id: 7,
        externalPath: 'file:/cp/chk-7',
        triggerTimestamp: 700,
        discarded: false,
      },
      latestSavepoint: {
        id: 3,
        externalPath: 'file:/sp/savepoint-3',
        triggerTimestamp: 300,
        discarded: false,
      },
      restored: { id: 2, externalPath: 'file:/sp/savepoint-2' },
    });
  });

  it('reads a job without any checkpoint as empty', async () => {
    const flink = new FakeFlink().on(`GET /jobs/${JOB}/checkpoints`, {
      body: { latest: { completed: null, savepoint: null, failed: null, restored: null } },
    });
    const { client } = clientFor(flink);
    await expect(client.checkpoints(JOB)).resolves.toEqual({
      latestCompleted: undefined,
      latestSavepoint: undefined,
      restored: undefined,
    });
  });

  it('stops with a savepoint: triggers, polls the trigger until COMPLETED, returns the location', async () => {
    const flink = new FakeFlink()
      .on(`POST /jobs/${JOB}/stop`, { status: 202, body: { 'request-id': 'trig1' } })
      .on(
        `GET /jobs/${JOB}/savepoints/trig1`,
        { body: { status: { id: 'IN_PROGRESS' } } },
        { body: { status: { id: 'COMPLETED' }, operation: { location: 'file:/sp/savepoint-1' } } },
      );
    const { client, sleeps } = clientFor(flink);

    await expect(
      client.stopWithSavepoint(JOB, { targetDirectory: '/sp', drain: false }),
    ).resolves.toEqual({ location: 'file:/sp/savepoint-1' });
    expect(JSON.parse(flink.calls[0].body as string)).toEqual({
      targetDirectory: '/sp',
      drain: false,
    });
    expect(flink.calls).toHaveLength(3);
    expect(sleeps).toEqual([250]);
  });

  it('stops without drain unless asked to', async () => {
    const flink = new FakeFlink()
      .on(`POST /jobs/${JOB}/stop`, { body: { 'request-id': 't' } })
      .on(`GET /jobs/${JOB}/savepoints/t`, {
        body: { status: { id: 'COMPLETED' }, operation: { location: 'file:/sp/2' } },
      });
    const { client } = clientFor(flink);
    await client.stopWithSavepoint(JOB);
    expect(JSON.parse(flink.calls[0].body as string)).toEqual({ drain: false });
  });

  it('reports a savepoint that completed with a failure cause as FlinkSavepointFailedError', async () => {
    const flink = new FakeFlink()
      .on(`POST /jobs/${JOB}/stop`, { body: { 'request-id': 't' } })
      .on(`GET /jobs/${JOB}/savepoints/t`, {
        body: {
          status: { id: 'COMPLETED' },
          operation: {
            'failure-cause': {
              class: 'java.util.concurrent.CompletionException',
              'stack-trace': 'java.util.concurrent.CompletionException: task not running\n\tat Z',
            },
          },
        },
      });
    const { client } = clientFor(flink);

    const error = (await client
      .stopWithSavepoint(JOB)
      .catch((e: unknown) => e)) as FlinkSavepointFailedError;
    expect(error).toBeInstanceOf(FlinkSavepointFailedError);
    expect(error.triggerId).toBe('t');
    expect(error.message).toContain('task not running');
  });

  it('gives up on a savepoint still in progress after its timeout', async () => {
    const inProgress = { body: { status: { id: 'IN_PROGRESS' } } };
    const flink = new FakeFlink()
      .on(`POST /jobs/${JOB}/stop`, { body: { 'request-id': 't' } })
      .on(`GET /jobs/${JOB}/savepoints/t`, inProgress, inProgress, inProgress);
    const { client } = clientFor(flink);
    await expect(client.stopWithSavepoint(JOB, { timeoutMs: 500 })).rejects.toBeInstanceOf(
      FlinkTimeoutError,
    );
  });

  it('triggers a savepoint without cancelling the job', async () => {
    const flink = new FakeFlink()
      .on(`POST /jobs/${JOB}/savepoints`, { body: { 'request-id': 't' } })
      .on(`GET /jobs/${JOB}/savepoints/t`, {
        body: { status: { id: 'COMPLETED' }, operation: { location: 'file:/sp/3' } },
      });
    const { client } = clientFor(flink);
    await expect(client.triggerSavepoint(JOB, { targetDirectory: '/sp' })).resolves.toEqual({
      location: 'file:/sp/3',
    });
    expect(JSON.parse(flink.calls[0].body as string)).toEqual({
      'target-directory': '/sp',
      'cancel-job': false,
    });
  });

  it('reads job exceptions, falling back to the exception history', async () => {
    const flink = new FakeFlink().on(`GET /jobs/${JOB}/exceptions`, {
      body: {
        'root-exception': null,
        exceptionHistory: {
          entries: [{ exceptionName: 'E', stacktrace: 'E: x', timestamp: 9, taskName: 'op' }],
        },
      },
    });
    const { client } = clientFor(flink);
    await expect(client.jobExceptions(JOB)).resolves.toEqual({
      rootException: 'E: x',
      timestamp: 9,
      history: [{ exceptionName: 'E', stacktrace: 'E: x', timestamp: 9, taskName: 'op' }],
    });
  });
});
