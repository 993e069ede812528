/**
 * @module `/usage`: every flag with its evaluations over the last 7 days per environment, when SDKs last
 * evaluated it, and a "stale" badge for temporary flags that have outlived their purpose (the server says
 * why). Selecting a flag charts its evaluations per variation over time. The table is virtualised:
 * thousands of flags render only the rows in view.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, useRef, useState } from "react";
import { Link } from "wouter";
import { paths } from "../app/paths.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { compactCount as count, type UsageRow, useFlagUsage, useUsageList } from "./api.js";
import { UsageChart } from "./UsageChart.js";
import "./usage.css";

export type { UsageRow } from "./api.js";

/** Fixed row height in pixels: the virtual list positions rows without measuring them. */
const ROW_HEIGHT = 40;

export function UsagePage() {
  const [staleOnly, setStaleOnly] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const usage = useUsageList();
  const rows = (usage.data ?? []).filter((r) => !staleOnly || r.stale);
  const environments = [
    ...new Set(usage.data?.flatMap((r) => Object.keys(r.evaluationsLast7Days)) ?? []),
  ].sort();
  const staleCount = usage.data?.filter((r) => r.stale).length ?? 0;

  return (
    <section className="page usage" aria-labelledby="usage-title">
      <header className="page-header">
        <h1 id="usage-title">Usage</h1>
        <span className="muted">
          {staleCount} stale of {usage.data?.length ?? 0} flags
        </span>
      </header>
      <label className="inline-check">
        <input type="checkbox" checked={staleOnly} onChange={(e) => setStaleOnly(e.target.checked)} /> Only
        stale flags
      </label>
      <ErrorBanner error={usage.error} />
      {usage.isPending && <p className="muted">Loading…</p>}
      {usage.data && rows.length === 0 && <p className="empty">No flags to show.</p>}
      {rows.length > 0 && (
        <UsageTable rows={rows} environments={environments} selected={selected} onChart={setSelected} />
      )}
      {selected && <FlagUsage flag={selected} />}
    </section>
  );
}

function UsageTable({
  rows,
  environments,
  selected,
  onChart,
}: {
  rows: UsageRow[];
  environments: string[];
  selected: string | null;
  onChart: (flag: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 1200, height: 600 },
  });
  const columns = `minmax(14rem, 2fr) repeat(${environments.length}, minmax(7rem, 1fr)) minmax(11rem, 1fr) 5rem`;
  return (
    <div ref={scrollRef} className="usage-scroll" data-testid="usage-scroll">
      <table
        className="usage-table"
        aria-rowcount={rows.length + 1}
        style={{ "--usage-columns": columns } as CSSProperties}
      >
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Flag</th>
            {environments.map((env) => (
              <th scope="col" key={env}>
                {env} (7 days)
              </th>
            ))}
            <th scope="col">Last evaluated</th>
            <th scope="col">
              <span className="visually-hidden">Chart</span>
            </th>
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const r = rows[item.index] as UsageRow;
            return (
              <tr
                key={r.flag}
                aria-rowindex={item.index + 2}
                aria-selected={selected === r.flag}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <th scope="row">
                  <Link href={paths.flag(r.flag)}>{r.flag}</Link>{" "}
                  {r.stale && (
                    <span className="badge badge-stale" title={r.why ?? undefined}>
                      stale
                    </span>
                  )}
                  {r.stale && r.why && <span className="visually-hidden">: {r.why}</span>}
                </th>
                {environments.map((env) => (
                  <td key={env}>{count(r.evaluationsLast7Days[env] ?? 0)}</td>
                ))}
                <td>{r.lastEvaluated ? new Date(r.lastEvaluated).toLocaleString() : "never"}</td>
                <td>
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={`Chart ${r.flag}`}
                    onClick={() => onChart(r.flag)}
                  >
                    Chart
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function FlagUsage({ flag }: { flag: string }) {
  const usage = useFlagUsage(flag);
  return (
    <section className="usage-detail" aria-labelledby="usage-detail-title">
      <h2 id="usage-detail-title">Evaluations of {flag} per variation, last 7 days</h2>
      <ErrorBanner error={usage.error} />
      {usage.data && <UsageChart series={usage.data.series} />}
    </section>
  );
}
