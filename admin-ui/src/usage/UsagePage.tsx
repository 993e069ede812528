/**
 * @module `/usage`: every flag with its evaluations over the last 7 days per environment, when SDKs last
 * evaluated it, and a "stale" badge for temporary flags that have outlived their purpose (the server says
 * why). Selecting a flag charts its evaluations per variation over time.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { api } from "../api/client.js";
import { paths } from "../app/paths.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { UsageChart } from "./UsageChart.js";
import "./usage.css";

export interface UsageRow {
  flag: string;
  temporary: boolean;
  evaluationsLast7Days: Record<string, number>;
  stale: boolean;
  why: string | null;
  servesEverywhere: string | null;
  lastEvaluated: string | null;
}

const count = (n: number) => new Intl.NumberFormat(undefined, { notation: "compact" }).format(n);

export function UsagePage() {
  const [staleOnly, setStaleOnly] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const usage = useQuery({
    queryKey: ["usage", "*"],
    queryFn: () =>
      api<{ staleAfterDays: number; flags: UsageRow[] }>("/usage", { query: { staleAfterDays: 30 } }),
    refetchInterval: 30_000,
  });
  const rows = (usage.data?.flags ?? []).filter((r) => !staleOnly || r.stale);
  const environments = [
    ...new Set(usage.data?.flags.flatMap((r) => Object.keys(r.evaluationsLast7Days)) ?? []),
  ].sort();
  const staleCount = usage.data?.flags.filter((r) => r.stale).length ?? 0;

  return (
    <section className="page usage" aria-labelledby="usage-title">
      <header className="page-header">
        <h1 id="usage-title">Usage</h1>
        <span className="muted">
          {staleCount} stale of {usage.data?.flags.length ?? 0} flags
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
        <table className="usage-table">
          <thead>
            <tr>
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
          <tbody>
            {rows.map((r) => (
              <tr key={r.flag} aria-selected={selected === r.flag}>
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
                  <button type="button" className="button button-quiet" onClick={() => setSelected(r.flag)}>
                    Chart
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <FlagUsage flag={selected} />}
    </section>
  );
}

interface FlagUsageResponse {
  series: { environment: string; variant: string | null; hour: string; count: number }[];
  lastEvaluated: Record<string, string>;
}

function FlagUsage({ flag }: { flag: string }) {
  const usage = useQuery({
    queryKey: ["usage", flag],
    queryFn: () => api<FlagUsageResponse>(`/flags/${encodeURIComponent(flag)}/usage`),
  });
  return (
    <section className="usage-detail" aria-labelledby="usage-detail-title">
      <h2 id="usage-detail-title">Evaluations of {flag} per variation, last 7 days</h2>
      <ErrorBanner error={usage.error} />
      {usage.data && <UsageChart series={usage.data.series} />}
    </section>
  );
}
