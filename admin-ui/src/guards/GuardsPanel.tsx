/**
 * @module A flag's guards in one environment: each guard's rule, status (green / watching / tripped, with
 * the figures that tripped it) and a Re-arm for tripped ones; editors change the limits in a form.
 */
import { useState } from "react";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { type Guard, useGuardActions, useGuards } from "./api.js";
import { GuardLimitsForm } from "./GuardLimitsForm.js";
import { describeTrip, guardStatus, METRIC_LABEL, ruleText } from "./status.js";
import "./guards.css";

export function GuardsPanel({ env, flag }: { env: string; flag: string }) {
  const guards = useGuards(env, flag);
  const canEdit = useCan("editor");
  const [editing, setEditing] = useState(false);
  return (
    <section className="guards-panel" aria-labelledby="guards-title">
      <h3 id="guards-title">Guards</h3>
      <ErrorBanner error={guards.error} />
      {guards.data?.length === 0 && (
        <p className="empty">No guards: nothing stops this flag by itself if the new code misbehaves.</p>
      )}
      {guards.data && guards.data.length > 0 && <GuardTable env={env} flag={flag} guards={guards.data} />}
      {canEdit && guards.data && !editing && (
        <button type="button" className="button" onClick={() => setEditing(true)}>
          Edit limits
        </button>
      )}
      {editing && guards.data && (
        <GuardLimitsForm env={env} flag={flag} guards={guards.data} onDone={() => setEditing(false)} />
      )}
    </section>
  );
}

function GuardTable({ env, flag, guards }: { env: string; flag: string; guards: Guard[] }) {
  return (
    <table className="data-table guards-table">
      <caption className="visually-hidden">Guards of {flag}</caption>
      <thead>
        <tr>
          <th scope="col">Guard</th>
          <th scope="col">Then</th>
          <th scope="col">Status</th>
          <th scope="col">Evidence</th>
        </tr>
      </thead>
      <tbody>
        {guards.map((g) => (
          <GuardRow key={g.id} env={env} flag={flag} guard={g} />
        ))}
      </tbody>
    </table>
  );
}

function GuardRow({ env, flag, guard: g }: { env: string; flag: string; guard: Guard }) {
  const status = guardStatus(g);
  return (
    <tr aria-label={METRIC_LABEL[g.metric]}>
      <th scope="row">{ruleText(g.metric, g.limit)}</th>
      <td>{g.action === "kill" ? "kill the flag" : "stop the ramp"}</td>
      <td>
        <span className={`badge guard-${status}`}>{status}</span>
        {status === "tripped" && g.trippedAt && (
          <span className="muted small"> at {new Date(g.trippedAt).toLocaleString()}</span>
        )}
      </td>
      <td>
        {status === "tripped" ? (
          <>
            <p className="guard-trip">{describeTrip(g)}</p>
            <RearmButton env={env} flag={flag} guard={g} />
          </>
        ) : (
          <span className="muted small">
            {g.events} of {g.trials} calls · test {Math.round((Math.max(0, g.llr) / g.threshold) * 100)}% of
            the way to tripping
          </span>
        )}
      </td>
    </tr>
  );
}

function RearmButton({ env, flag, guard }: { env: string; flag: string; guard: Guard }) {
  const { rearm } = useGuardActions(env, flag);
  const canEdit = useCan("editor");
  const [reason, setReason] = useState("");
  if (!canEdit) return null;
  const label = METRIC_LABEL[guard.metric].toLowerCase();
  return (
    <form
      className="inline-form"
      aria-label={`Re-arm the ${label} guard`}
      onSubmit={(e) => {
        e.preventDefault();
        rearm.mutate({ metrics: [guard.metric], reason: reason.trim() || undefined });
      }}
    >
      <Field label="Why re-arm" hint="It watches again from scratch; the flag itself is not changed.">
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button type="submit" className="button" disabled={rearm.isPending}>
        Re-arm
      </button>
      <ErrorBanner error={rearm.error} />
    </form>
  );
}
