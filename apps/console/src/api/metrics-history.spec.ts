import type { JobDetails } from '@ruleshift/contracts';
import { HISTORY_MS, MetricsHistory } from './metrics-history';

const job = (eventsIn: number, eventsOut: number, deadLettered: Record<string, number> = {}) =>
  ({ jobId: 'j1', metrics: { eventsIn, eventsOut, deadLettered } }) as unknown as JobDetails;

describe('MetricsHistory', () => {
  it('has no rate before two samples', () => {
    const history = new MetricsHistory();
    history.record([job(10, 5)], 0);
    expect(history.ratesOf('j1')).toBeUndefined();
    expect(history.seriesOf('j1')).toEqual([]);
  });

  it('averages rates over the last 6 s of samples, dead letters summed over reasons', () => {
    const history = new MetricsHistory();
    history.record([job(0, 0)], 0);
    history.record([job(10, 4, { 'missing-field': 1 })], 2_000);
    history.record([job(10, 4, { 'missing-field': 1 })], 3_500);
    history.record([job(30, 10, { 'missing-field': 2, 'wrong-type': 1 })], 5_000);
    expect(history.ratesOf('j1')).toEqual({
      inPerSecond: 6,
      outPerSecond: 2,
      deadLettersPerSecond: 0.6,
    });
    history.record([job(30, 10, { 'missing-field': 2, 'wrong-type': 1 })], 10_000);
    // 6 s back from 10 s reaches the sample at 5 s: nothing new since.
    expect(history.ratesOf('j1')?.inPerSecond).toBe(0);
  });

  it('counts a counter that went down (a move, a restart) as no traffic, never negative', () => {
    const history = new MetricsHistory();
    history.record([job(100, 50)], 0);
    history.record([job(2, 1)], 2_000);
    expect(history.ratesOf('j1')).toEqual({
      inPerSecond: 0,
      outPerSecond: 0,
      deadLettersPerSecond: 0,
    });
  });

  it('keeps one sample per half second and forgets samples older than the charts reach', () => {
    const history = new MetricsHistory();
    history.record([job(0, 0)], 0);
    history.record([job(1, 0)], 100);
    history.record([job(2, 0)], 1_000);
    expect(history.seriesOf('j1').map((p) => p.at)).toEqual([1_000]);
    history.record([job(3, 0)], HISTORY_MS + 500);
    expect(history.seriesOf('j1').map((p) => p.at)).toEqual([HISTORY_MS + 500]);
  });
});
