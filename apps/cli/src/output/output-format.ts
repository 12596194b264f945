import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A value for scripts: JSON (two-space indent) or YAML, always ending with a newline. */
export function renderData(value: unknown, format: 'json' | 'yaml'): string {
  if (format === 'yaml') return stringify(value, { lineWidth: 0 });
  return `${JSON.stringify(value, null, 2)}\n`;
}
