import { figuresTable } from './figures-table';

describe('figuresTable', () => {
  it('prints one row per figure with its target, and "-" for a figure not measured', () => {
    const table = figuresTable([
      {
        bench: 'engine-filter',
        metric: 'events/s',
        value: 300000,
        unit: '/s',
        target: '>= 250000',
      },
      { bench: 'flink', metric: 'install', value: Number.NaN, unit: 'ms', note: 'skipped' },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| benchmark +\| figure +\| value +\| unit \| target +\| note +\|$/);
    expect(lines[2].split('|').map((c) => c.trim())).toEqual([
      '',
      'engine-filter',
      'events/s',
      '300000',
      '/s',
      '>= 250000',
      '',
      '',
    ]);
    expect(lines[3]).toContain('| -');
    expect(lines[3]).toContain('skipped');
  });
});
