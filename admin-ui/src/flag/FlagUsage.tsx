/**
 * @module Usage on the flag page: the "stale" badge (a temporary flag unused or fully rolled out for a long
 * time, with the server's reason) and, per environment, how often SDKs evaluated it and when last.
 */
import { compactCount, useFlagUsage, useUsageList } from "../usage/api.js";

export function StaleBadge({ flag }: { flag: string }) {
  const verdict = useUsageList((rows) => rows.find((r) => r.flag === flag)).data;
  if (!verdict?.stale) return null;
  return (
    <span className="badge badge-stale" title={verdict.why ?? undefined}>
      stale{verdict.why && <span className="visually-hidden">: {verdict.why}</span>}
    </span>
  );
}

export function EnvironmentUsage({ flag, env }: { flag: string; env: string }) {
  const usage = useFlagUsage(flag);
  if (!usage.data) return null;
  const last = usage.data.lastEvaluated[env];
  const count = usage.data.series.filter((s) => s.environment === env).reduce((sum, s) => sum + s.count, 0);
  return (
    <p className="muted small flag-usage">
      {last ? (
        <>
          Last evaluated <time dateTime={last}>{new Date(last).toLocaleString()}</time> ·{" "}
          {compactCount(count)} evaluations in the last 7 days
        </>
      ) : (
        "Never evaluated here by an SDK."
      )}
    </p>
  );
}
