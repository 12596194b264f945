import type { JobDetails, PipelineInfo, RuntimeInfo, TemplateInfo } from '@ruleshift/contracts';
import {
  deadLetterTotal,
  formatAge,
  formatBytes,
  formatCount,
  formatPercent,
  placementOf,
  statusOf,
} from './format';
import type { Column } from './table';

/** The columns of `get jobs`. */
export const jobColumns = (now: number): Column<JobDetails>[] => [
  { header: 'job id', value: (job) => job.jobId },
  { header: 'type', value: (job) => job.jobType },
  { header: 'placement', value: placementOf },
  { header: 'status', value: statusOf },
  { header: 'in', value: (job) => formatCount(job.metrics?.eventsIn), align: 'right' },
  { header: 'out', value: (job) => formatCount(job.metrics?.eventsOut), align: 'right' },
  { header: 'dead', value: (job) => formatCount(deadLetterTotal(job.metrics)), align: 'right' },
  { header: 'changed', value: (job) => formatAge(job.updatedAt, now) },
];

/** The columns of `get runtimes`: an agent's load, or a Flink cluster's free slots. */
export const runtimeColumns = (now: number, jobs: JobDetails[]): Column<RuntimeInfo>[] => [
  { header: 'runtime', value: (r) => placementOf(r) },
  { header: 'health', value: (r) => r.health },
  { header: 'last seen', value: (r) => formatAge(r.lastSeenAt, now) },
  {
    header: 'rules',
    value: (r) =>
      String(
        jobs.filter(
          (job) =>
            job.runtime === r.runtime &&
            job.targetResource === r.targetResource &&
            job.jobStatus !== 'UNINSTALLED',
        ).length,
      ),
    align: 'right',
  },
  {
    header: 'cpu',
    value: (r) =>
      r.runtime === 'flink' ? '-' : sharedMark(r, formatPercent(r.details?.cpuPercent)),
    align: 'right',
  },
  {
    header: 'memory',
    value: (r) => (r.runtime === 'flink' ? '-' : sharedMark(r, formatBytes(r.details?.rssBytes))),
    align: 'right',
  },
  {
    header: 'slots free',
    value: (r) =>
      r.runtime === 'flink' && typeof r.details?.slotsTotal === 'number'
        ? `${String(r.details.slotsAvailable)}/${String(r.details.slotsTotal)}`
        : '-',
    align: 'right',
  },
];

export const templateColumns: Column<TemplateInfo>[] = [
  { header: 'job type', value: (t) => t.jobType },
  { header: 'version', value: (t) => t.version },
  { header: 'runtimes', value: (t) => t.runtimes.join(',') },
  { header: 'inputs', value: (t) => String(t.inputs), align: 'right' },
  { header: 'description', value: (t) => firstSentence(t.description) },
];

export const pipelineColumns: Column<PipelineInfo>[] = [
  { header: 'name', value: (p) => p.name },
  { header: 'pipeline id', value: (p) => p.pipelineId },
  { header: 'status', value: (p) => p.status },
  {
    header: 'stages',
    value: (p) =>
      p.stages.map((s) => `${s.name}(${placementOf(s.jobInfo)} ${s.jobInfo.jobStatus})`).join(' '),
  },
];

/** A table cell holds the description's first sentence; `-o yaml` gives all of it. */
export function firstSentence(text: string, max = 72): string {
  const sentence = /^(.*?\.)(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1)}…`;
}

/**
 * An agent inside a process it shares (npm start) reports that whole process's load, the same
 * for each of its agents: said so, as the console does.
 */
function sharedMark(runtime: RuntimeInfo, figure: string): string {
  return runtime.details?.sharesProcess === true && figure !== '-' ? `${figure} (shared)` : figure;
}
