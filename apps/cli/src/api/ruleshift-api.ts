import type {
  DeadLetterReport,
  FieldError,
  InstallationObject,
  JobDetails,
  JobInfo,
  PipelineDetails,
  PipelineInfo,
  PipelineObject,
  RelocationObject,
  RuntimeInfo,
  TemplateInfo,
} from '@ruleshift/contracts';
import { ApiFailure, ServerUnreachable } from './api-failure';

/** What an answer of 202 (the operation goes on past the proxy's deadline) carries. */
export interface Pending {
  pending: true;
  message: string;
}

export type OperationAnswer<T> = T | Pending;

export const isPending = <T>(answer: OperationAnswer<T>): answer is Pending =>
  typeof answer === 'object' && answer !== null && (answer as Pending).pending === true;

interface Answer {
  status: number;
  json: unknown;
  headers: Headers;
}

/**
 * The ruleshift HTTP API as the CLI uses it: one method per call, the bearer token on each,
 * every non-2xx answer turned into an ApiFailure naming the API's fields.
 */
export class RuleshiftApi {
  private readonly base: string;

  constructor(
    server: string,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  install(installation: InstallationObject): Promise<OperationAnswer<JobInfo>> {
    return this.operation('/api/install', installation);
  }

  start(job: JobInfo): Promise<OperationAnswer<JobInfo>> {
    return this.operation('/api/start', jobInfoOf(job));
  }

  stop(job: JobInfo): Promise<OperationAnswer<JobInfo>> {
    return this.operation('/api/stop', jobInfoOf(job));
  }

  uninstall(job: JobInfo): Promise<OperationAnswer<JobInfo>> {
    return this.operation('/api/uninstall', jobInfoOf(job));
  }

  move(relocation: RelocationObject): Promise<OperationAnswer<JobInfo>> {
    return this.operation('/api/move', { ...relocation, jobInfo: jobInfoOf(relocation.jobInfo) });
  }

  async job(jobId: string): Promise<JobDetails> {
    return (await this.call('GET', `/api/jobs/${encodeURIComponent(jobId)}`)).json as JobDetails;
  }

  /** Every job, following the API's pages (`X-Next-Cursor`). */
  async jobs(): Promise<JobDetails[]> {
    const jobs: JobDetails[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const answer = await this.call('GET', `/api/jobs?limit=500${query}`);
      jobs.push(...(answer.json as JobDetails[]));
      cursor = answer.headers.get('x-next-cursor');
    } while (cursor);
    return jobs;
  }

  async runtimes(): Promise<RuntimeInfo[]> {
    return (await this.call('GET', '/api/runtimes')).json as RuntimeInfo[];
  }

  async templates(): Promise<TemplateInfo[]> {
    return (await this.call('GET', '/api/templates')).json as TemplateInfo[];
  }

  async pipelines(): Promise<PipelineInfo[]> {
    return (await this.call('GET', '/api/pipelines')).json as PipelineInfo[];
  }

  async pipeline(pipeline: string): Promise<PipelineDetails> {
    const answer = await this.call('GET', `/api/pipelines/${encodeURIComponent(pipeline)}`);
    return answer.json as PipelineDetails;
  }

  async createPipeline(pipeline: PipelineObject): Promise<PipelineInfo> {
    return (await this.call('POST', '/api/pipelines', pipeline)).json as PipelineInfo;
  }

  async pipelineOperation(
    pipeline: string,
    operation: 'start' | 'stop' | 'uninstall',
  ): Promise<PipelineInfo> {
    const path = `/api/pipelines/${encodeURIComponent(pipeline)}/${operation}`;
    return (await this.call('POST', path, {})).json as PipelineInfo;
  }

  async deadLetters(jobId: string, limit: number): Promise<DeadLetterReport> {
    const path = `${deadLettersPath(jobId)}?limit=${limit}`;
    return (await this.call('GET', path)).json as DeadLetterReport;
  }

  async replayDeadLetters(jobId: string, count?: number): Promise<{ replayed: number }> {
    const body = count === undefined ? {} : { count };
    const answer = await this.call('POST', `${deadLettersPath(jobId)}/replay`, body);
    return answer.json as { replayed: number };
  }

  async purgeDeadLetters(jobId: string): Promise<{ purged: number }> {
    return (await this.call('DELETE', deadLettersPath(jobId))).json as { purged: number };
  }

  async publish(
    exchange: string,
    routingKey: string,
    events: unknown[],
  ): Promise<{ published: number }> {
    const answer = await this.call('POST', eventsPath(exchange, routingKey), events);
    return answer.json as { published: number };
  }

  /**
   * Streams the exchange's messages (Server-Sent Events) to `onEvent`, one JSON text each,
   * until the server ends the stream or `signal` aborts it. `onOpen` runs once the server's
   * queue is bound: every message published after it is streamed.
   */
  async tail(
    exchange: string,
    routingKey: string,
    onEvent: (json: string) => void,
    signal: AbortSignal,
    onOpen: () => void = () => undefined,
  ): Promise<void> {
    const response = await this.send('GET', `${eventsPath(exchange, routingKey)}/tail`, {
      signal,
      accept: 'text/event-stream',
    });
    if (!response.ok) throw await failureOf(response);
    if (!response.body) return;
    onOpen();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).replace(/^ /, ''));
          if (data.length > 0) onEvent(data.join('\n'));
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      throw new ServerUnreachable(this.base, describeCause(error));
    }
  }

  /** POST of a rule operation: 200 is the jobInfo, 202 means it goes on in the adapter. */
  private async operation<T>(path: string, body: unknown): Promise<OperationAnswer<T>> {
    const answer = await this.call('POST', path, body);
    if (answer.status === 202) {
      const message = (answer.json as { message?: unknown } | undefined)?.message;
      return { pending: true, message: typeof message === 'string' ? message : 'pending' };
    }
    return answer.json as T;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await this.send(method, path, { body });
    if (!response.ok) throw await failureOf(response);
    const text = await response.text();
    return { status: response.status, json: parseJson(text), headers: response.headers };
  }

  private async send(
    method: string,
    path: string,
    options: { body?: unknown; signal?: AbortSignal; accept?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      throw new ServerUnreachable(this.base, describeCause(error));
    }
  }
}

/** The paper's jobInfo fields only: the API refuses properties it does not know. */
function jobInfoOf(job: JobInfo): JobInfo {
  const { runtime, jobId, jobType, jobStatus, configFileName } = job;
  return { runtime, jobId, jobType, jobStatus, configFileName };
}

const deadLettersPath = (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}/deadletters`;

const eventsPath = (exchange: string, routingKey: string) =>
  `/api/events/${encodeURIComponent(exchange)}/${encodeURIComponent(routingKey)}`;

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const text = await response.text().catch(() => '');
  const body = (parseJson(text) ?? {}) as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  const errors: FieldError[] = Array.isArray(body.errors)
    ? body.errors.filter(
        (e): e is FieldError =>
          typeof (e as FieldError)?.field === 'string' &&
          typeof (e as FieldError)?.reason === 'string',
      )
    : [];
  const message =
    typeof body.message === 'string'
      ? body.message
      : text.trim().slice(0, 200) || `HTTP ${response.status}`;
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  return new ApiFailure(response.status, code, message, errors);
}

/** fetch() wraps the socket error in `cause`: ECONNREFUSED says more than "fetch failed". */
function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
