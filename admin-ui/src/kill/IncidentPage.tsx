/**
 * @module `/incident`: incident mode. Kill every flag with a tag in one environment at once (one change,
 * one audit entry), then see everything killed recently: by whom, why, whether it is still off, and
 * whether the latest ruleset has reached every connected SDK.
 */
import { useQueries } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { Link } from "wouter";
import { ApiError, api } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { useOverview } from "../api/overview.js";
import type { RulesetVersions } from "../api/types.js";
import { paths } from "../app/paths.js";
import { useCan } from "../auth/session.js";
import { Dialog } from "../components/Dialog.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { useDeclareIncident } from "./incident.js";
import { KillDelivery } from "./KillDelivery.js";

interface AuditEntry {
  id: number;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: string;
  target: { type: string; key: string };
  environment: string | null;
  flag: string | null;
  reason: string | null;
  after: unknown;
}

const KILL_ACTIONS = ["flag.kill", "incident.declare"] as const;

export function IncidentPage() {
  const environments = useEnvironments();
  const flags = useOverview((o) => o.flags);
  const canKill = useCan("editor");
  const envs = environments.data ?? [];
  const [env, setEnv] = useState("");
  const [tag, setTag] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const declare = useDeclareIncident();
  const [result, setResult] = useState<{
    env: string;
    tag: string;
    killed: string[];
    versions: RulesetVersions;
  } | null>(null);

  const chosenEnv = env || envs[envs.length - 1]?.key || "";
  const tags = useMemo(() => [...new Set((flags.data ?? []).flatMap((f) => f.tags))].sort(), [flags.data]);
  const affected = useMemo(
    () => (flags.data ?? []).filter((f) => tag !== "" && f.tags.includes(tag) && f.cells[chosenEnv]?.on),
    [flags.data, tag, chosenEnv],
  );
  const envName = envs.find((e) => e.key === chosenEnv)?.name ?? chosenEnv;
  const apiError = declare.error instanceof ApiError ? declare.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!tag) errors.tag = "Choose the tag of the flags to kill.";
    if (!reason.trim()) errors.reason = "An incident needs a reason.";
    setMissing(errors);
    if (Object.keys(errors).length === 0) setConfirming(true);
  };

  const confirm = () =>
    declare.mutate(
      { env: chosenEnv, tag, reason: reason.trim() },
      {
        onSuccess: (answer) => {
          setResult({
            env: chosenEnv,
            tag,
            killed: answer.killed.map((s) => s.flag),
            versions: answer.rulesetVersions,
          });
          setConfirming(false);
          setReason("");
        },
        onError: () => setConfirming(false),
      },
    );

  return (
    <section className="page" aria-labelledby="incident-title">
      <header className="page-header">
        <h1 id="incident-title">Incident mode</h1>
        <p className="muted small">Kill every flag with a tag in one environment, at once.</p>
      </header>

      {canKill ? (
        <form className="panel incident-form" onSubmit={submit} noValidate>
          {declare.error &&
            (!apiError?.errors.length || apiError.otherErrors(["tag", "reason"]).length > 0) && (
              <ErrorBanner error={declare.error} title="The incident was not declared" />
            )}
          <div className="form-row">
            <Field label="Environment">
              <select value={chosenEnv} onChange={(e) => setEnv(e.target.value)}>
                {envs.map((e) => (
                  <option key={e.key} value={e.key}>
                    {e.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Tag" error={missing.tag ?? apiError?.fieldError("tag")}>
              <select value={tag} onChange={(e) => setTag(e.target.value)}>
                <option value="">Choose a tag…</option>
                {tags.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field label="Reason" error={missing.reason ?? apiError?.fieldError("reason")}>
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          {tag && (
            <p className="small">
              {affected.length === 0
                ? `No flag tagged ${tag} is on in ${envName}.`
                : `Turns off ${affected.length} flag${affected.length === 1 ? "" : "s"} on in ${envName}: `}
              {affected.slice(0, 20).map((f, i) => (
                <span key={f.key}>
                  {i > 0 && ", "}
                  <code>{f.key}</code>
                </span>
              ))}
              {affected.length > 20 && ` and ${affected.length - 20} more`}
            </p>
          )}
          <button type="submit" className="button button-danger">
            Kill flags tagged {tag || "…"} in {envName}
          </button>
        </form>
      ) : (
        <p className="muted">Declaring an incident needs the editor role.</p>
      )}

      {confirming && (
        <Dialog
          title={`Kill every flag tagged ${tag} in ${envName}?`}
          tone="danger"
          onClose={() => setConfirming(false)}
        >
          <p>
            {affected.length} flag{affected.length === 1 ? "" : "s"} turn off now and serve their off
            variation to everyone in {envName}.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              data-autofocus
              disabled={declare.isPending}
              onClick={confirm}
            >
              {declare.isPending ? "Killing…" : "Kill them now"}
            </button>
          </div>
        </Dialog>
      )}

      {result && (
        <section className="banner banner-kill" aria-label="Incident result" role="status">
          <strong>
            {result.killed.length === 0
              ? `Nothing to kill: no flag tagged ${result.tag} was on.`
              : `Killed ${result.killed.length} flag${result.killed.length === 1 ? "" : "s"} tagged ${result.tag}.`}
          </strong>
          {result.killed.length > 0 && (
            <KillDelivery env={result.env} version={result.versions[result.env]} />
          )}
        </section>
      )}

      <KilledList />
    </section>
  );
}

/** Kills and incidents from the audit log, newest first, with whether each flag is still off. */
function KilledList() {
  const flags = useOverview((o) => o.flags);
  const results = useQueries({
    queries: KILL_ACTIONS.map((action) => ({
      queryKey: ["audit", { action, limit: 50 }],
      queryFn: () => api<{ entries: AuditEntry[] }>("/audit", { query: { action, limit: 50 } }),
    })),
  });
  const entries = results
    .flatMap((r) => r.data?.entries ?? [])
    .sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  const envsWithKills = [
    ...new Set(entries.map((e) => e.environment).filter((e): e is string => e !== null)),
  ];
  const isOn = (flag: string, env: string | null) =>
    env !== null && flags.data?.find((f) => f.key === flag)?.cells[env]?.on === true;

  return (
    <section aria-labelledby="killed-title" className="killed">
      <h2 id="killed-title">Killed recently</h2>
      <ErrorBanner error={results.find((r) => r.error)?.error} />
      {envsWithKills.length > 0 && (
        <div className="delivery-by-env">
          {envsWithKills.map((env) => (
            <div key={env}>
              <h3 className="small">Latest {env} ruleset</h3>
              <KillDelivery env={env} />
            </div>
          ))}
        </div>
      )}
      {results.some((r) => r.isPending) ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">Nothing has been killed.</p>
      ) : (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Where</th>
              <th scope="col">Who</th>
              <th scope="col">Why</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const killed = killedFlags(entry);
              const backOn = killed.filter((f) => isOn(f, entry.environment));
              return (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                  </td>
                  <td>
                    {entry.action === "incident.declare" && (
                      <span className="badge">tag {entry.target.key}</span>
                    )}{" "}
                    {killed.map((f, i) => (
                      <span key={f}>
                        {i > 0 && ", "}
                        <Link href={paths.flag(f)}>{f}</Link>
                      </span>
                    ))}
                    {killed.length === 0 && <span className="muted">no flag was on</span>}
                  </td>
                  <td>{entry.environment}</td>
                  <td>{entry.actor.name}</td>
                  <td>{entry.reason}</td>
                  <td>{backOn.length > 0 ? `back on: ${backOn.join(", ")}` : "off"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The flags an entry turned off: one for a kill, the tagged ones for an incident. */
function killedFlags(entry: AuditEntry): string[] {
  if (entry.action === "flag.kill") return entry.flag ? [entry.flag] : [];
  const after = entry.after as { flags?: Record<string, unknown> } | null;
  return Object.keys(after?.flags ?? {});
}
