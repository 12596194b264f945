/** Small statistics helpers for benchmark figures. */
export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
};

export const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
}

const figures: Figure[] = [];

export function report(figure: Figure): void {
  figures.push(figure);
  const target = figure.target ? `  (target ${figure.target})` : '';
  console.log(`${figure.bench.padEnd(34)} ${figure.metric.padEnd(30)} ${String(figure.value).padStart(12)} ${figure.unit}${target}`);
}

export function allFigures(): Figure[] {
  return figures;
}
