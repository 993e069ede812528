/**
 * @module Evaluations per variation per hour, stacked over every environment, as a small inline SVG with
 * a legend. Pure layout in `stackByHour` (tested), drawing below.
 */

export interface UsagePoint {
  environment: string;
  variant: string | null;
  hour: string;
  count: number;
}

const W = 640;
const H = 140;
const COLORS = ["#0b5cad", "#e08a00", "#2e8540", "#8e44ad", "#c0392b", "#16a085"];

/** Hours in order, each with its count per variant (environments summed). */
export function stackByHour(series: UsagePoint[]) {
  const variants = [...new Set(series.map((p) => p.variant ?? "(default)"))].sort();
  const hours = new Map<string, Record<string, number>>();
  for (const p of series) {
    const row = hours.get(p.hour) ?? {};
    const v = p.variant ?? "(default)";
    row[v] = (row[v] ?? 0) + p.count;
    hours.set(p.hour, row);
  }
  const ordered = [...hours.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { variants, hours: ordered.map(([hour, counts]) => ({ hour, counts })) };
}

export function UsageChart({ series }: { series: UsagePoint[] }) {
  if (series.length === 0) return <p className="empty">No evaluations reported in these 7 days.</p>;
  const { variants, hours } = stackByHour(series);
  const max = Math.max(1, ...hours.map((h) => Object.values(h.counts).reduce((a, b) => a + b, 0)));
  const step = W / Math.max(hours.length, 1);
  return (
    <figure className="usage-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Evaluations per variation per hour">
        {hours.map((h, i) => {
          let y = H;
          return variants.map((v, j) => {
            const height = ((h.counts[v] ?? 0) / max) * H;
            y -= height;
            return (
              <rect
                key={`${h.hour}-${v}`}
                x={i * step}
                y={y}
                width={Math.max(1, step - 1)}
                height={height}
                fill={COLORS[j % COLORS.length]}
              >
                <title>{`${new Date(h.hour).toLocaleString()}: ${h.counts[v] ?? 0} × ${v}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <figcaption className="legend">
        {variants.map((v, j) => (
          <span key={v}>
            <span className="swatch" style={{ background: COLORS[j % COLORS.length] }} /> {v}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
