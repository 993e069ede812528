/**
 * @module `/flags/:key`: one flag, one environment at a time (tabs, kept in the URL), with its usage and
 * stale badge, its client-side visibility, and the environment's state editor (EnvironmentState.tsx).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useLocation, useSearch } from "wouter";
import { api } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import type { FlagDefinition } from "../api/types.js";
import { paths } from "../app/paths.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { ClientVisible } from "./ClientVisible.js";
import { EnvironmentState } from "./EnvironmentState.js";
import { ENV_PANEL_ID, EnvTabs, envTabId } from "./EnvTabs.js";
import { StaleBadge } from "./FlagUsage.js";
import "./flag.css";

export function FlagPage({ flagKey }: { flagKey: string }) {
  const environments = useEnvironments();
  const search = useSearch();
  const [, navigate] = useLocation();
  const flag = useQuery({
    queryKey: queryKeys.flag(flagKey),
    queryFn: () => api<FlagDefinition>(`/flags/${encodeURIComponent(flagKey)}`),
  });
  const envs = environments.data ?? [];
  const selected = new URLSearchParams(search).get("env") ?? envs[0]?.key;
  const env = envs.find((e) => e.key === selected);

  return (
    <section className="page flag-page" aria-labelledby="flag-title">
      <header className="page-header">
        <h1 id="flag-title">{flagKey}</h1>
        {flag.data && (
          <span className="muted">
            {flag.data.name !== flagKey && `${flag.data.name} · `}
            {flag.data.kind}
            {flag.data.temporary && " · temporary"}
          </span>
        )}
        <StaleBadge flag={flagKey} />
        <div className="page-actions">
          <Link href={`${paths.history}?flag=${encodeURIComponent(flagKey)}`}>History</Link>
        </div>
      </header>
      <ErrorBanner error={flag.error ?? environments.error} />
      {flag.data && <ClientVisible flag={flag.data} />}
      <EnvTabs
        envs={envs}
        selected={selected}
        onSelect={(key) =>
          navigate(`${paths.flag(flagKey)}?env=${encodeURIComponent(key)}`, { replace: true })
        }
      />
      {flag.data && env && (
        <div role="tabpanel" id={ENV_PANEL_ID} aria-labelledby={envTabId(env.key)}>
          <EnvironmentState key={env.key} flag={flag.data} env={env} />
        </div>
      )}
    </section>
  );
}
