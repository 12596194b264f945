/** The one table `npm run bench` prints: every figure with its target. */
import type { Figure } from '../stats';

const COLUMNS = ['benchmark', 'figure', 'value', 'unit', 'target', 'note'] as const;

function cells(figure: Figure): string[] {
  const value = Number.isNaN(figure.value) ? '-' : String(figure.value);
  return [figure.bench, figure.metric, value, figure.unit, figure.target ?? '', figure.note ?? ''];
}

/** A Markdown table (pastes into the README as it is). */
export function figuresTable(figures: readonly Figure[]): string {
  const rows = [COLUMNS.slice(), ...figures.map(cells)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}
