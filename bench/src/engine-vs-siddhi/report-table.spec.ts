import { memoryTable, throughputTable, verdict, type ThroughputRow } from './report-table';

const row = (ours: ThroughputRow['ruleshift'], checksum = 'abc'): ThroughputRow => ({
  name: 'filter',
  events: 1000,
  targetRatio: 1,
  siddhiConstruct: 'In[x > 1]',
  siddhi: { eventsPerSecond: 1000, outputs: 10, checksum },
  ruleshift: ours,
});

describe('report tables', () => {
  it('says MATCH only when count and checksum agree', () => {
    expect(verdict({ outputs: 1, checksum: 'a' }, { outputs: 1, checksum: 'a' })).toBe('MATCH');
    expect(verdict({ outputs: 1, checksum: 'a' }, { outputs: 1, checksum: 'b' })).toBe('MISMATCH');
    expect(verdict({ outputs: 2, checksum: 'a' }, { outputs: 1, checksum: 'a' })).toBe('MISMATCH');
  });

  it('prints the ratio against the target', () => {
    const text = throughputTable([row({ eventsPerSecond: 500, outputs: 10, checksum: 'abd' })]);
    expect(text).toContain('0.50');
    expect(text).toContain('NO');
    expect(text).toContain('MISMATCH');
  });

  it('prints n/a rather than a verdict when ruleshift did not run', () => {
    const text = throughputTable([row({ notReady: 'missing windowJoin' })]);
    expect(text).toContain('not ready');
    expect(text).toContain('n/a');
    expect(text).not.toContain('MATCH');
  });

  it('checks memory against the target in MB', () => {
    const text = memoryTable([
      { engine: 'ruleshift', rssBytes: 300 * 1024 * 1024, targetBytes: 200 * 1024 * 1024 },
    ]);
    expect(text).toContain('300.0');
    expect(text).toContain('NO');
  });
});
