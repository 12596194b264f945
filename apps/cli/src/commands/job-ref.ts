import type { JobDetails } from '@ruleshift/contracts';
import { ApiFailure, UsageError } from '../api/api-failure';
import type { RuleshiftApi } from '../api/ruleshift-api';

const FULL_JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The job a command line names: its full id, or the start of it (the 8 characters the console
 * and `get jobs` users copy), as long as exactly one job not uninstalled starts with it.
 */
export async function resolveJob(api: RuleshiftApi, ref: string): Promise<JobDetails> {
  if (FULL_JOB_ID.test(ref)) return api.job(ref);
  if (!/^[0-9a-f-]{4,}$/i.test(ref)) {
    throw new UsageError('JOB', `a job id or its first 4 or more characters, got ${ref}`);
  }
  const prefix = ref.toLowerCase();
  const matches = (await api.jobs()).filter((job) => job.jobId.startsWith(prefix));
  const live = matches.filter((job) => job.jobStatus !== 'UNINSTALLED');
  const candidates = live.length > 0 ? live : matches;
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new ApiFailure(404, 'NOT_FOUND', `jobId: no job starts with ${ref}`, [
      { field: 'jobId', reason: `no job starts with ${ref}` },
    ]);
  }
  throw new UsageError(
    'JOB',
    `${ref} names ${candidates.length} jobs (${candidates.map((j) => j.jobId).join(', ')}): give more of the id`,
  );
}
