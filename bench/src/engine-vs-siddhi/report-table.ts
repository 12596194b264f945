/** Pure formatting of the engine-vs-Siddhi results into the printed tables. */
import type { OutputDigest } from './canonical';

export interface EngineFigures extends OutputDigest {
  /** Median events per second over the measured repetitions. */
  eventsPerSecond: number;
}

export interface ThroughputRow {
  name: string;
  events: number;
  targetRatio: number;
  siddhiConstruct: string;
  siddhi: EngineFigures;
  /** Absent, with the reason, when the template cannot run on this engine build yet. */
  ruleshift: EngineFigures | { notReady: string };
}

export interface MemoryRow {
  engine: string;
  rssBytes: number;
  targetBytes?: number;
}

export type Verdict = 'MATCH' | 'MISMATCH' | 'n/a';

export const verdict = (a: OutputDigest, b: OutputDigest): Verdict =>
  a.outputs === b.outputs && a.checksum === b.checksum ? 'MATCH' : 'MISMATCH';

export const eventsPerSecond = (events: number, millis: number): number => (events * 1000) / millis;

const rate = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const short = (checksum: string): string => checksum.slice(0, 12);

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
    'ruleshift ev/s',
    'Siddhi ev/s',
    'ratio',
    'target',
    'ok',
    'rs outputs',
    'rs sha256',
    'Siddhi outputs',
    'Siddhi sha256',
    'outputs',
  ];
  const cells = rows.map((row) => {
    const siddhi = row.siddhi;
    const target = `>= ${row.targetRatio.toFixed(1)}`;
    if ('notReady' in row.ruleshift) {
      return [
        row.name,
        String(row.events),
        'not ready',
        rate(siddhi.eventsPerSecond),
        '-',
        target,
        '-',
        '-',
        '-',
        String(siddhi.outputs),
        short(siddhi.checksum),
        'n/a',
      ];
    }
    const ours = row.ruleshift;
    const ratio = ours.eventsPerSecond / siddhi.eventsPerSecond;
    return [
      row.name,
      String(row.events),
      rate(ours.eventsPerSecond),
      rate(siddhi.eventsPerSecond),
      ratio.toFixed(2),
      target,
      ratio >= row.targetRatio ? 'yes' : 'NO',
      String(ours.outputs),
      short(ours.checksum),
      String(siddhi.outputs),
      short(siddhi.checksum),
      verdict(ours, siddhi),
    ];
  });
  return table(header, cells);
}

export function constructNotes(rows: ThroughputRow[]): string {
  const notes = rows.map((row) => {
    const reason =
      'notReady' in row.ruleshift ? `  [ruleshift not run: ${row.ruleshift.notReady}]` : '';
    return `  ${row.name}: Siddhi ${row.siddhiConstruct}${reason}`;
  });
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
