import type { JobDetails } from '@ruleshift/contracts';
import type { CliContext } from '../cli-context';
import { renderData, type OutputFormat } from './output-format';
import { jobColumns } from './resource-columns';
import { renderTable, type Column } from './table';

/**
 * Prints resources in the chosen format: an aligned table, JSON or YAML of the API's objects,
 * or `name` (one id per line, for `$(...)` and xargs).
 */
export function printResources<T>(
  ctx: CliContext,
  format: OutputFormat,
  rows: T[],
  columns: Column<T>[],
  empty: string,
): void {
  if (format === 'json' || format === 'yaml') return ctx.out(renderData(rows, format));
  if (format === 'name') {
    if (rows.length > 0) ctx.out(rows.map((row) => columns[0].value(row)).join('\n'));
    return;
  }
  if (rows.length === 0) return ctx.note(empty);
  ctx.out(renderTable(columns, rows));
}

/** One job, as the answer of an operation: like `get jobs`, or the object itself. */
export function printJob(ctx: CliContext, format: OutputFormat, job: JobDetails): void {
  if (format === 'json' || format === 'yaml') return ctx.out(renderData(job, format));
  printResources(ctx, format, [job], jobColumns(Date.now()), '');
}
