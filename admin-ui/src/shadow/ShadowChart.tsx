/**
 * @module The shadow statistics over time as two small inline SVG charts (no chart library: a few lines
 * do not earn one): mismatch and error rate, and latency p50/p95 of the old and the new code.
 */
import type { ShadowSummary } from "./api.js";

const W = 560;
const H = 120;

interface Line {
  label: string;
  className: string;
  values: number[];
}

type Series = ShadowSummary["series"];

export function ShadowCharts({ series }: { series: Series }) {
  if (series.length === 0) return null;
  const lat = (path: "control" | "candidate", p: "p50" | "p95") =>
    series.map((s) => s.latencyMs[path][p] ?? 0);
  return (
    <div className="shadow-charts">
      <LineChart
        title="Mismatch and error rate over time"
        unit="%"
        at={series.map((s) => s.at)}
        lines={[
          {
            label: "mismatch rate",
            className: "line-mismatch",
            values: series.map((s) => s.mismatchRate * 100),
          },
          {
            label: "error rate (new)",
            className: "line-error",
            values: series.map((s) => s.errorRate * 100),
          },
        ]}
      />
      <LineChart
        title="Latency over time, old vs new"
        unit="ms"
        at={series.map((s) => s.at)}
        lines={[
          { label: "old p50", className: "line-control p50", values: lat("control", "p50") },
          { label: "old p95", className: "line-control", values: lat("control", "p95") },
          { label: "new p50", className: "line-candidate p50", values: lat("candidate", "p50") },
          { label: "new p95", className: "line-candidate", values: lat("candidate", "p95") },
        ]}
      />
    </div>
  );
}

const round = (v: number) => +v.toFixed(2);

function LineChart({ title, unit, at, lines }: { title: string; unit: string; at: string[]; lines: Line[] }) {
  const max = Math.max(1, ...lines.flatMap((l) => l.values));
  const x = (i: number) => (at.length === 1 ? W / 2 : (i / (at.length - 1)) * W);
  const y = (v: number) => H - (v / max) * (H - 4) - 2;
  const when = (iso: string) => new Date(iso).toLocaleString();
  return (
    <figure className="shadow-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <title>{`${title}, ${when(at[0] as string)} to ${when(at[at.length - 1] as string)}`}</title>
        {lines.map((l) => (
          <g key={l.label} className={l.className}>
            <path d={l.values.map((v, i) => `${i === 0 ? "M" : "L"}${x(i)},${y(v)}`).join(" ")} />
            {l.values.map((v, i) => (
              <circle key={at[i]} cx={x(i)} cy={y(v)} r={2}>
                <title>{`${when(at[i] as string)}: ${l.label} ${round(v)} ${unit}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="muted small">
        {title} (up to {round(max)} {unit}):{" "}
        {lines.map((l) => (
          <span key={l.label} className={`legend ${l.className}`}>
            {l.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
