import { FLINK_COUNTERS_STALE_MS, RuntimeFigures } from './runtime-figures';

const metrics = (eventsIn: number) => ({ eventsIn, eventsOut: eventsIn, deadLettered: {} });
const at = (s: number) => new Date(s * 1000);

describe('RuntimeFigures (Flink rules)', () => {
  it('keeps the first read time of counters Flink has not refreshed, until they are stale', () => {
    const figures = new RuntimeFigures();
    figures.recordFlinkRule('flink', 'job', { metrics: metrics(100), at: at(0) });
    // Flink's cached metrics, read again: the same counters, counted at the first read.
    figures.recordFlinkRule('flink', 'job', {
      metrics: metrics(100),
      at: at(5),
      backpressure: 0.5,
    });
    expect(figures.flinkRule('flink', 'job')).toEqual({
      metrics: metrics(100),
      at: at(0),
      backpressure: 0.5,
    });
    figures.recordFlinkRule('flink', 'job', { metrics: metrics(2100), at: at(10) });
    expect(figures.flinkRule('flink', 'job')?.at).toEqual(at(10));
    // Unchanged for longer than Flink's refresh: the rule stands still, counted now.
    const later = 10 + FLINK_COUNTERS_STALE_MS / 1000 + 1;
    figures.recordFlinkRule('flink', 'job', { metrics: metrics(2100), at: at(later) });
    expect(figures.flinkRule('flink', 'job')?.at).toEqual(at(later));
    expect(figures.ruleMetrics('flink', 'flink', 'job')).toEqual(metrics(2100));
  });
});
