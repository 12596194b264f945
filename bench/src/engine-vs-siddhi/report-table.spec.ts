import {
  memoryTable,
  phaseTable,
  throughputTable,
  verdict,
  type ThroughputRow,
} from './report-table';

const row = (overrides: Partial<ThroughputRow> = {}): ThroughputRow => ({
  name: 'filter',
  events: 1000,
  targetRatio: 1.5,
  warmupPairs: 4,
  stable: true,
  ruleshiftRate: 1500,
  siddhiRate: 1000,
  ratios: { min: 1.2, median: 1.49, max: 1.7 },
  ruleshiftOutputs: 10,
  siddhiOutputs: 10,
  matchingReps: 5,
  reps: 5,
  ...overrides,
});

describe('report tables', () => {
  it('says MATCH only when count and checksum agree', () => {
    expect(verdict({ outputs: 1, checksum: 'a' }, { outputs: 1, checksum: 'a' })).toBe('MATCH');
    expect(verdict({ outputs: 1, checksum: 'a' }, { outputs: 1, checksum: 'b' })).toBe('MISMATCH');
    expect(verdict({ outputs: 2, checksum: 'a' }, { outputs: 1, checksum: 'a' })).toBe('MISMATCH');
  });

  it('judges the target on the median of the paired ratios and prints min and max', () => {
    const text = throughputTable([row()]);
    expect(text).toContain('1.20');
    expect(text).toContain('1.49');
    expect(text).toContain('1.70');
    expect(text).toContain('NO');
    expect(text).toContain('MATCH 5/5');
    expect(throughputTable([row({ ratios: { min: 1, median: 1.5, max: 2 } })])).toContain('yes');
  });

  it('says MISMATCH when any measured repetition differed, and an unstable warm-up', () => {
    const text = throughputTable([row({ matchingReps: 4, stable: false })]);
    expect(text).toContain('MISMATCH 4/5');
    expect(text).toContain('4 (unstable)');
  });

  it('prints n/a for a benchmark without a Siddhi peer', () => {
    const text = throughputTable([
      row({ siddhiRate: undefined, ratios: undefined, matchingReps: undefined }),
    ]);
    expect(text).toContain('n/a');
    expect(text).not.toContain('MATCH');
  });

  it('prints phases in ns per event with their sum, - where not measured apart', () => {
    const text = phaseTable([
      { name: 'tumbling', engine: 'Siddhi', parse: 600.4, rule: 300, serialise: 20 },
    ]);
    expect(text).toContain('600');
    expect(text).toContain('920');
    expect(text).toMatch(/600\s+-\s+300/);
  });

  it('checks memory against the target in MB', () => {
    const text = memoryTable([
      { engine: 'ruleshift', rssBytes: 300 * 1024 * 1024, targetBytes: 200 * 1024 * 1024 },
    ]);
    expect(text).toContain('300.0');
    expect(text).toContain('NO');
  });
});
