import type { JobDetails } from '@ruleshift/contracts';

/** How far back the charts reach. */
export const HISTORY_MS = 5 * 60_000;
/** Rates are averaged over this much time: heartbeats (2 s) and polls (1.5 s) do not align. */
const RATE_WINDOW_MS = 6_000;

export interface Sample {
  at: number;
  eventsIn: number;
  eventsOut: number;
  deadLetters: number;
}

export interface Rates {
  inPerSecond: number;
  outPerSecond: number;
  deadLettersPerSecond: number;
}

export interface RatePoint extends Rates {
  at: number;
}

export const deadLetterTotal = (job: JobDetails): number =>
  Object.values(job.metrics?.deadLettered ?? {}).reduce((sum, n) => sum + n, 0);

/**
 * The API reports cumulative counters; rates and the charts' last minutes come from samples the
 * console takes at every poll, kept in the tab for HISTORY_MS (nothing is stored server-side).
 */
export class MetricsHistory {
  private readonly samples = new Map<string, Sample[]>();

  record(jobs: JobDetails[], at: number = Date.now()): void {
    for (const job of jobs) {
      if (!job.metrics) continue;
      const list = this.samples.get(job.jobId) ?? [];
      const last = list[list.length - 1];
      // The list and the rule page poll the same job; one sample per half second is plenty.
      if (last && at - last.at < 500) continue;
      list.push({
        at,
        eventsIn: job.metrics.eventsIn,
        eventsOut: job.metrics.eventsOut,
        deadLetters: deadLetterTotal(job),
      });
      while (list.length > 0 && list[0].at < at - HISTORY_MS) list.shift();
      this.samples.set(job.jobId, list);
    }
  }

  /** Current rates of a job, or undefined before two samples exist. */
  ratesOf(jobId: string): Rates | undefined {
    const list = this.samples.get(jobId) ?? [];
    return list.length < 2 ? undefined : rateAt(list, list.length - 1);
  }

  /** One rate point per sample over the last HISTORY_MS (charts). */
  seriesOf(jobId: string): RatePoint[] {
    const list = this.samples.get(jobId) ?? [];
    return list.slice(1).map((sample, index) => ({ at: sample.at, ...rateAt(list, index + 1) }));
  }
}

function rateAt(list: Sample[], index: number): Rates {
  const current = list[index];
  let start = index - 1;
  while (start > 0 && list[start - 1].at >= current.at - RATE_WINDOW_MS) start -= 1;
  const from = list[start];
  const seconds = Math.max((current.at - from.at) / 1000, 0.001);
  // A counter that went down restarted (the rule moved or its agent restarted): no rate, not < 0.
  const rate = (now: number, then: number) => Math.max(now - then, 0) / seconds;
  return {
    inPerSecond: rate(current.eventsIn, from.eventsIn),
    outPerSecond: rate(current.eventsOut, from.eventsOut),
    deadLettersPerSecond: rate(current.deadLetters, from.deadLetters),
  };
}

/** The tab's one history, fed by every poll of jobs. */
export const metricsHistory = new MetricsHistory();
