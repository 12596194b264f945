/**
 * The paper's REST API as the benchmarks call it (install/start/stop/uninstall/move), failing
 * loudly on anything but 200, and the installation objects the benchmarks use.
 */
import type { JobInfo } from '@ruleshift/contracts';
import {
  filterInstallation,
  type NamedConnectors,
  uniqueConnectors,
} from '../../../test/integration/support/rules';

export interface ApiCaller {
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

export type BenchConnectors = NamedConnectors;

/** Fresh names per rule so runs sharing the vhost never see each other's events. */
export const benchConnectors = (prefix: string, endpoint = 'edge'): BenchConnectors =>
  uniqueConnectors(`bench-${prefix}`, endpoint, { input: 'sensors', output: 'alerts' });

/** The filter template with a threshold every bench event passes (output count = input count). */
export const passAllFilter = (
  runtime: 'edge' | 'flink',
  targetResource: string,
  connectors: BenchConnectors,
): Record<string, unknown> => filterInstallation(targetResource, connectors, runtime, -1000);

export class RulesClient {
  /** Every job installed through this client, for cleanup. */
  readonly installed = new Map<string, JobInfo>();

  constructor(private readonly caller: ApiCaller) {}

  private async call(op: string, body: unknown): Promise<JobInfo> {
    const response = await this.caller.api<JobInfo>('POST', `/api/${op}`, body);
    if (response.status !== 200) {
      throw new Error(`POST /api/${op} -> ${response.status}: ${JSON.stringify(response.body)}`);
    }
    this.installed.set(response.body.jobId, response.body);
    return response.body;
  }

  install(installation: Record<string, unknown>): Promise<JobInfo> {
    return this.call('install', installation);
  }

  start(job: JobInfo): Promise<JobInfo> {
    return this.call('start', job);
  }

  stop(job: JobInfo): Promise<JobInfo> {
    return this.call('stop', job);
  }

  async uninstall(job: JobInfo): Promise<JobInfo> {
    const done = await this.call('uninstall', job);
    this.installed.delete(job.jobId);
    return done;
  }

  move(job: JobInfo, targetRuntime: 'edge' | 'flink', targetResource: string): Promise<JobInfo> {
    return this.call('move', { target_runtime: targetRuntime, targetResource, jobInfo: job });
  }

  /** Uninstalls whatever is still installed, with its current status (errors ignored). */
  async uninstallAll(): Promise<void> {
    for (const job of [...this.installed.values()]) {
      const current = await this.caller
        .api<JobInfo>('GET', `/api/jobs/${job.jobId}`)
        .catch(() => undefined);
      const info = current?.status === 200 ? current.body : job;
      if (info.jobStatus !== 'UNINSTALLED') await this.uninstall(info).catch(() => undefined);
      this.installed.delete(job.jobId);
    }
  }
}

/** Queues and exchanges the adapter declared for a rule (deleted by the bench on cleanup). */
export function ruleTopology(
  job: JobInfo,
  connectors: BenchConnectors,
): { queues: string[]; exchanges: string[] } {
  return {
    queues: [connectors.inputQueue, `ruleshift.dlq.${job.jobId}`],
    exchanges: [connectors.inputExchange, connectors.outputExchange],
  };
}
