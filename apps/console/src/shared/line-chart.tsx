import { HISTORY_MS } from '../api/metrics-history';

export interface ChartSeries {
  label: string;
  /** CSS colour. */
  color: string;
  points: Array<{ at: number; value: number }>;
}

const WIDTH = 600;
const HEIGHT = 160;
const PAD = { left: 44, right: 8, top: 10, bottom: 22 };

/**
 * A small SVG line chart of rates over the last HISTORY_MS, newest on the right. Hand-written
 * (see docs/decisions.md): two or three series of a few hundred points need no chart library.
 */
export function LineChart({
  title,
  unit,
  series,
  now = Date.now(),
}: {
  title: string;
  unit: string;
  series: ChartSeries[];
  now?: number;
}) {
  const max = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.value)));
  const top = niceCeiling(max);
  const x = (at: number) =>
    PAD.left + ((at - (now - HISTORY_MS)) / HISTORY_MS) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / top) * (HEIGHT - PAD.top - PAD.bottom);
  const empty = series.every((s) => s.points.length < 2);
  const latest = series.map((s) => `${s.label} ${formatValue(s.points.at(-1)?.value)} ${unit}`);

  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
        <span className="chart-legend">
          {series.map((s) => (
            <span key={s.label}>
              <span className="swatch" style={{ background: s.color }} /> {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title}, last 5 minutes: ${latest.join(', ')}`}
        preserveAspectRatio="none"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(top * f)}
              y2={y(top * f)}
              className="chart-grid"
            />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end" className="chart-axis">
              {formatValue(top * f)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 6} className="chart-axis">
          −5 min
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="chart-axis">
          now ({unit})
        </text>
        {series.map((s) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
            points={s.points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
          />
        ))}
        {empty && (
          <text x={WIDTH / 2} y={HEIGHT / 2} textAnchor="middle" className="chart-axis">
            collecting samples…
          </text>
        )}
      </svg>
    </figure>
  );
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function formatValue(value: number | undefined): string {
  if (value === undefined) return '–';
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}
