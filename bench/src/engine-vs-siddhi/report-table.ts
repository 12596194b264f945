/** Pure formatting of the engine-vs-Siddhi results into the printed tables. */
import type { OutputDigest } from './canonical';
import type { Spread } from './paired-runs';

export interface ThroughputRow {
  name: string;
  events: number;
  targetRatio: number;
  warmupPairs: number;
  stable: boolean;
  /** Median events per second of each engine over the measured repetitions. */
  ruleshiftRate: number;
  /** Absent where Siddhi has no equivalent of the template. */
  siddhiRate?: number;
  /** ruleshift / Siddhi throughput within each measured pair (wall clock). */
  ratios?: Spread;
  /** The same by process CPU time. */
  cpuRatios?: Spread;
  /** Outputs of the last measured repetition. */
  ruleshiftOutputs: number;
  siddhiOutputs?: number;
  /** Measured repetitions whose outputs (count and checksum) agreed between the engines. */
  matchingReps?: number;
  reps: number;
}

/** Per-event cost of each phase, in nanoseconds; undefined where not measurable apart. */
export interface PhaseRow {
  name: string;
  engine: string;
  parse: number;
  timeKey?: number;
  rule: number;
  serialise: number;
}

export interface MemoryRow {
  engine: string;
  rssBytes: number;
  targetBytes?: number;
}

export type Verdict = 'MATCH' | 'MISMATCH';

export const verdict = (a: OutputDigest, b: OutputDigest): Verdict =>
  a.outputs === b.outputs && a.checksum === b.checksum ? 'MATCH' : 'MISMATCH';

export const eventsPerSecond = (events: number, millis: number): number => (events * 1000) / millis;

const rate = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const ns = (value: number | undefined): string =>
  value === undefined ? '-' : Math.round(value).toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]): string =>
    cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

export function throughputTable(rows: ThroughputRow[]): string {
  const header = [
    'benchmark',
    'events',
    'warm-up pairs',
    'ruleshift ev/s',
    'Siddhi ev/s',
    'ratio min',
    'ratio median',
    'ratio max',
    'cpu ratio median',
    'target',
    'ok',
    'outputs',
    'same outputs',
  ];
  const cells = rows.map((row) => {
    const warmup = `${row.warmupPairs}${row.stable ? '' : ' (unstable)'}`;
    if (row.ratios === undefined || row.siddhiRate === undefined) {
      return [
        row.name,
        String(row.events),
        warmup,
        rate(row.ruleshiftRate),
        'n/a',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        String(row.ruleshiftOutputs),
        'n/a',
      ];
    }
    const same = row.matchingReps === row.reps ? 'MATCH' : 'MISMATCH';
    return [
      row.name,
      String(row.events),
      warmup,
      rate(row.ruleshiftRate),
      rate(row.siddhiRate),
      row.ratios.min.toFixed(2),
      row.ratios.median.toFixed(2),
      row.ratios.max.toFixed(2),
      row.cpuRatios === undefined ? '-' : row.cpuRatios.median.toFixed(2),
      `>= ${row.targetRatio.toFixed(1)}`,
      row.ratios.median >= row.targetRatio ? 'yes' : 'NO',
      `${row.ruleshiftOutputs} / ${row.siddhiOutputs ?? '-'}`,
      `${same} ${row.matchingReps}/${row.reps}`,
    ];
  });
  return table(header, cells);
}

export function phaseTable(rows: PhaseRow[]): string {
  const cells = rows.map((row) => [
    row.name,
    row.engine,
    ns(row.parse),
    ns(row.timeKey),
    ns(row.rule),
    ns(row.serialise),
    ns(row.parse + (row.timeKey ?? 0) + row.rule + row.serialise),
  ]);
  return table(
    ['benchmark', 'engine', 'parse', 'time+key', 'window/rule', 'serialise', 'sum'],
    cells,
  );
}

export function constructNotes(rows: { name: string; siddhiConstruct: string }[]): string {
  const notes = rows.map((row) => `  ${row.name}: ${row.siddhiConstruct}`);
  return [
    'Siddhi constructs (same semantics as the template on this in-order input):',
    ...notes,
  ].join('\n');
}

export function memoryTable(rows: MemoryRow[]): string {
  const cells = rows.map((row) => {
    const target = row.targetBytes === undefined ? '-' : `<= ${mb(row.targetBytes)} MB`;
    const ok = row.targetBytes === undefined ? '-' : row.rssBytes <= row.targetBytes ? 'yes' : 'NO';
    return [row.engine, mb(row.rssBytes), target, ok];
  });
  return table(['engine', 'RSS MB', 'target', 'ok'], cells);
}
