/** The paper's objects for the Flink tests: installations of the three templates, job reads. */
import type { NamedConnectors } from './rules';
import type { RuleshiftSystem } from './system';

export interface JobInfo {
  runtime: string;
  jobId: string;
  jobType: string;
  jobStatus: string;
  configFileName: string;
}

export interface JobDetails extends JobInfo {
  targetResource: string;
  failureReason?: string;
  /** The operation holding the job (e.g. after a 202), absent when none does. */
  pendingOperation?: string;
  history: { status: string; runtime: string; targetResource: string; reason?: string }[];
}

export interface ErrorBody {
  errors: { field: string; reason: string }[];
}

export interface SecondInput {
  endpoint: string;
  exchange: string;
  queue: string;
  routingKey: string;
}

export const secondInputFor = (connectors: NamedConnectors): SecondInput => ({
  endpoint: connectors.inputEndpoint,
  exchange: `${connectors.inputExchange}2`,
  queue: `${connectors.inputQueue}2`,
  routingKey: 'sensors.humidity',
});

/** Event-time tumbling count per device: `{windowStart, windowEnd, key, aggregate, value, count}`. */
export function windowCountInstallation(
  runtime: 'edge' | 'flink',
  targetResource: string,
  connectors: NamedConnectors,
): Record<string, unknown> {
  return {
    headers: { runtime, targetResource, jobType: 'window-aggregation' },
    jobConfig: { connectors },
    jobProps: {
      aggregate: 'count',
      window: { kind: 'tumbling', time: 'event', sizeMs: 1000 },
      timeFieldJsonPath: '$.ts',
      groupByJsonPath: '$.device',
    },
  };
}

/** Left `$.id` = right `$.deviceId` within tumbling 1000 ms windows of `$.ts`. */
export function windowJoinInstallation(
  runtime: 'edge' | 'flink',
  targetResource: string,
  connectors: NamedConnectors,
): Record<string, unknown> {
  return {
    headers: { runtime, targetResource, jobType: 'window-join' },
    jobConfig: { connectors: { ...connectors, secondInput: secondInputFor(connectors) } },
    jobProps: {
      leftKeyJsonPath: '$.id',
      rightKeyJsonPath: '$.deviceId',
      timeFieldJsonPath: '$.ts',
      windowSizeMs: 1000,
    },
  };
}

/** The paper's jobInfo (exactly its five fields) out of a job's details. */
export const jobInfoOf = (job: JobInfo): JobInfo => ({
  runtime: job.runtime,
  jobId: job.jobId,
  jobType: job.jobType,
  jobStatus: job.jobStatus,
  configFileName: job.configFileName,
});

export async function jobDetails(system: RuleshiftSystem, jobId: string): Promise<JobDetails> {
  const response = await system.api<JobDetails>('GET', `/api/jobs/${jobId}`);
  if (response.status !== 200) throw new Error(`GET /api/jobs/${jobId}: ${response.status}`);
  return response.body;
}

/** Uninstalls whatever a test left behind (by id, whatever status it reached). */
export async function uninstallAll(
  system: RuleshiftSystem,
  jobIds: Iterable<string>,
): Promise<void> {
  for (const jobId of jobIds) {
    const details = await system.api<JobDetails>('GET', `/api/jobs/${jobId}`).catch(() => null);
    if (!details || details.status !== 200 || details.body.jobStatus === 'UNINSTALLED') continue;
    await system.api('POST', '/api/uninstall', jobInfoOf(details.body)).catch(() => undefined);
  }
}
