import type { JobDetails } from '@ruleshift/contracts';
import { deadLetterTotal, formatAge, formatBytes, formatPercent, statusOf } from './format';
import { firstSentence, runtimeColumns } from './resource-columns';
import { renderData } from './output-format';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('CLI formats', () => {
  it('ages like kubectl: seconds, minutes, hours, days', () => {
    expect(formatAge(ago(5), NOW)).toBe('5s');
    expect(formatAge(ago(119), NOW)).toBe('119s');
    expect(formatAge(ago(120), NOW)).toBe('2m');
    expect(formatAge(ago(3 * 3600), NOW)).toBe('3h');
    expect(formatAge(ago(3 * 86400), NOW)).toBe('3d');
    expect(formatAge(ago(-5), NOW)).toBe('0s');
    expect(formatAge(undefined, NOW)).toBe('-');
    expect(formatAge('not a date', NOW)).toBe('-');
  });

  it('sizes in binary units, percentages with one decimal, unknowns as -', () => {
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5KiB');
    expect(formatBytes(861 * 1024 * 1024)).toBe('861.0MiB');
    expect(formatBytes('x')).toBe('-');
    expect(formatPercent(0.94)).toBe('0.9%');
    expect(formatPercent(undefined)).toBe('-');
  });

  it('sums dead letters over reasons; a job without metrics has none known', () => {
    expect(deadLetterTotal({ eventsIn: 3, eventsOut: 1, deadLettered: { a: 1, b: 2 } })).toBe(3);
    expect(deadLetterTotal(undefined)).toBeUndefined();
  });

  it('shows the operation holding a job beside its status', () => {
    const job = { jobStatus: 'RUNNING' } as JobDetails;
    expect(statusOf(job)).toBe('RUNNING');
    expect(statusOf({ ...job, pendingOperation: 'stop' })).toBe('RUNNING (stop)');
    expect(
      statusOf({
        ...job,
        pendingOperation: 'move',
        pendingMove: { id: 'm', step: 'INSTALLING', targetRuntime: 'edge', targetResource: 'gw2' },
      }),
    ).toBe('RUNNING (move: INSTALLING)');
  });

  it("marks the load of an agent that shares its process (npm start) as the process's", () => {
    const columns = runtimeColumns(0, []);
    const cell = (header: string, details: Record<string, unknown>) =>
      columns
        .find((c) => c.header === header)!
        .value({ runtime: 'edge', targetResource: 'local', health: 'UP', details });
    const load = { cpuPercent: 12.5, rssBytes: 256 * 1024 * 1024 };
    expect(cell('memory', { ...load, sharesProcess: true })).toBe('256.0MiB (shared)');
    expect(cell('cpu', { ...load, sharesProcess: true })).toBe('12.5% (shared)');
    expect(cell('memory', load)).toBe('256.0MiB');
    expect(cell('memory', { sharesProcess: true })).toBe('-');
  });

  it("keeps a template description's first sentence, cut to the width", () => {
    expect(firstSentence('Forwards events. Missing fields are dead-lettered.')).toBe(
      'Forwards events.',
    );
    expect(firstSentence('value at $.temperature is compared')).toBe(
      'value at $.temperature is compared',
    );
    expect(firstSentence('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('renders JSON and YAML for scripts, each ending with a newline', () => {
    expect(renderData([{ a: 1 }], 'json')).toBe('[\n  {\n    "a": 1\n  }\n]\n');
    expect(renderData([{ a: 1, b: 'x: y' }], 'yaml')).toBe('- a: 1\n  b: "x: y"\n');
  });
});
