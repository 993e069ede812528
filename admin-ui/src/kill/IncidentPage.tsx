/**
 * @module `/incident`: incident mode. Kill every flag with a tag in one environment at once (one change,
 * one audit entry), then see everything killed (KilledList.tsx): by whom, why, whether each kill has
 * reached every connected SDK, and whether it is still off.
 */
import { type FormEvent, useMemo, useState } from "react";
import { ApiError } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { useOverview } from "../api/overview.js";
import type { RulesetVersions } from "../api/types.js";
import { useCan } from "../auth/session.js";
import { Dialog } from "../components/Dialog.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { useDeclareIncident } from "./incident.js";
import { KillDelivery } from "./KillDelivery.js";
import { KilledList } from "./KilledList.js";

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
