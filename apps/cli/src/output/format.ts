import type { JobDetails, RuleMetrics } from '@ruleshift/contracts';

/** Age of an instant, kubectl style: `45s`, `12m`, `3h`, `5d`; `-` when unknown. */
export function formatAge(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const seconds = Math.floor((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 120 * 60) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)}${units[unit]}`;
}

export function formatPercent(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(1)}%` : '-';
}

export const formatCount = (n: number | undefined): string => (n === undefined ? '-' : String(n));

export const deadLetterTotal = (metrics: RuleMetrics | undefined): number | undefined =>
  metrics ? Object.values(metrics.deadLettered ?? {}).reduce((sum, n) => sum + n, 0) : undefined;

/** `edge/local`, `flink/flink`: the form `move --to` takes. */
export const placementOf = (job: { runtime: string; targetResource?: string }): string =>
  `${job.runtime}/${job.targetResource ?? '?'}`;

/** The status with the operation holding the job, e.g. `RUNNING (move: INSTALLING)`. */
export function statusOf(job: JobDetails): string {
  if (job.pendingMove) return `${job.jobStatus} (move: ${job.pendingMove.step})`;
  if (job.pendingOperation) return `${job.jobStatus} (${job.pendingOperation})`;
  return job.jobStatus;
}
