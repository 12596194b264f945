/** Small statistics helpers for benchmark figures. */
export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
};

export const median = (values: number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

export interface Figure {
  bench: string;
  metric: string;
  /** NaN when the figure could not be measured (see `note`). */
  value: number;
  unit: string;
  target?: string;
  /** Why there is no value (skipped, error), or what the value means. */
  note?: string;
}

const figures: Figure[] = [];

/** Records a figure for the final table; a progress line goes to stderr at once. */
export function report(figure: Figure): void {
  figures.push(figure);
  const value = Number.isNaN(figure.value) ? '-' : String(figure.value);
  const note = figure.note ? `  [${figure.note}]` : '';
  process.stderr.write(`  ${figure.bench} ${figure.metric}: ${value} ${figure.unit}${note}\n`);
}

export function allFigures(): Figure[] {
  return figures;
}
