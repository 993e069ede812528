/**
 * @module Mismatch rate and candidate p95 latency per time window, as a small inline SVG (no chart library:
 * two series do not earn one).
 */
import type { ShadowSummary } from "./api.js";

const W = 560;
const H = 120;

export function ShadowChart({ series }: { series: ShadowSummary["series"] }) {
  if (series.length === 0) return null;
  const step = W / series.length;
  const maxRate = Math.max(0.01, ...series.map((s) => s.mismatchRate));
  const p95 = series.map((s) => s.latencyMs.candidate.p95 ?? 0);
  const maxMs = Math.max(1, ...p95, ...series.map((s) => s.latencyMs.control.p95 ?? 0));
  const line = (values: number[]) =>
    values.map((v, i) => `${i === 0 ? "M" : "L"}${(i + 0.5) * step},${H - (v / maxMs) * H}`).join(" ");
  return (
    <figure className="shadow-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Mismatch rate and p95 latency over time">
        {series.map((s, i) => (
          <rect
            key={s.at}
            x={i * step + 1}
            width={Math.max(1, step - 2)}
            y={H - (s.mismatchRate / maxRate) * H}
            height={(s.mismatchRate / maxRate) * H}
            className="bar-mismatch"
          >
            <title>{`${new Date(s.at).toLocaleTimeString()}: ${(s.mismatchRate * 100).toFixed(1)}% mismatches`}</title>
          </rect>
        ))}
        <path d={line(series.map((s) => s.latencyMs.control.p95 ?? 0))} className="line-control" />
        <path d={line(p95)} className="line-candidate" />
      </svg>
      <figcaption className="muted small">
        Bars: mismatch rate (max {(maxRate * 100).toFixed(1)}%). Lines: p95 latency, old (grey) and new
        (blue), up to {maxMs} ms.
      </figcaption>
    </figure>
  );
}
