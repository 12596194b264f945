import type { JobDetails, RuntimeInfo } from '@ruleshift/contracts';
import { metricsHistory } from '../api/metrics-history';

/** The jobs placed on a runtime (not uninstalled). */
export const jobsOn = (runtime: RuntimeInfo, jobs: JobDetails[]): JobDetails[] =>
  jobs.filter(
    (job) =>
      job.runtime === runtime.runtime &&
      job.targetResource === runtime.targetResource &&
      job.jobStatus !== 'UNINSTALLED',
  );

/** Events in per second over the runtime's rules, from the console's samples. */
export const eventsPerSecondOn = (runtime: RuntimeInfo, jobs: JobDetails[]): number | undefined => {
  const rates = jobsOn(runtime, jobs)
    .map((job) => metricsHistory.ratesOf(job.jobId)?.inPerSecond)
    .filter((rate): rate is number => rate !== undefined);
  return rates.length === 0 ? undefined : rates.reduce((sum, rate) => sum + rate, 0);
};
