/**
 * @module `/freezes`: every environment, frozen or not; admins set a freeze (reason, end time) and lift it.
 * While frozen, writes there are refused except kills and admin overrides with a reason.
 */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import type { Environment } from "../api/types.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { fromLocalInput, toLocalInput } from "../components/local-time.js";
import { type Freeze, useFreezeActions, useFreezes } from "./api.js";
import "../keys/keys.css";

export function FreezesPage() {
  const environments = useEnvironments();
  const freezes = useFreezes();
  const isAdmin = useCan("admin");
  const byEnv = new Map((freezes.data ?? []).map((f) => [f.environment, f]));
  return (
    <section className="page freezes" aria-labelledby="freezes-title">
      <header className="page-header">
        <h1 id="freezes-title">Freezes</h1>
      </header>
      <p className="muted">
        While an environment is frozen its flags cannot be changed, promoted into or scheduled; kills still
        work, and an admin can write through with a reason.
        {!isAdmin && " Only admins set and lift freezes."}
      </p>
      <ErrorBanner error={environments.error ?? freezes.error} />
      {(environments.isPending || freezes.isPending) && <p className="muted">Loading…</p>}
      {environments.data && freezes.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Environment</th>
              <th scope="col">Freeze</th>
              {isAdmin && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {environments.data.map((env) => (
              <FreezeRow key={env.key} env={env} freeze={byEnv.get(env.key)} isAdmin={isAdmin} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FreezeRow({ env, freeze, isAdmin }: { env: Environment; freeze?: Freeze; isAdmin: boolean }) {
  const { lift } = useFreezeActions();
  const [editing, setEditing] = useState(false);
  return (
    <tr aria-label={env.name}>
      <th scope="row">{env.name}</th>
      <td>
        {freeze ? (
          <>
            <strong>Frozen</strong> until{" "}
            <time dateTime={freeze.until}>{new Date(freeze.until).toLocaleString()}</time>: {freeze.reason}{" "}
            <span className="muted">(by {freeze.createdBy})</span>
          </>
        ) : (
          <span className="muted">Not frozen</span>
        )}
        {editing && <FreezeForm env={env} onDone={() => setEditing(false)} />}
        <ErrorBanner error={lift.error} />
      </td>
      {isAdmin && (
        <td>
          {!editing && (
            <button type="button" className="button" onClick={() => setEditing(true)}>
              {freeze ? `Change freeze of ${env.name}` : `Freeze ${env.name}`}
            </button>
          )}{" "}
          {freeze && (
            <button
              type="button"
              className="button"
              disabled={lift.isPending}
              onClick={() => lift.mutate(env.key)}
            >
              Lift freeze of {env.name}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

const inTwoHours = () => toLocalInput(new Date(Date.now() + 2 * 3_600_000));

function FreezeForm({ env, onDone }: { env: Environment; onDone: () => void }) {
  const { freeze } = useFreezeActions();
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState(inTwoHours);
  const [tried, setTried] = useState(false);
  const error = freeze.error instanceof ApiError ? freeze.error : null;
  const untilIso = fromLocalInput(until);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!reason.trim() || !untilIso) return;
    freeze.mutate({ env: env.key, reason: reason.trim(), until: untilIso }, { onSuccess: onDone });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Freeze ${env.name}`} noValidate>
      <Field
        label="Reason"
        error={error?.fieldError("reason") ?? (tried && !reason.trim() ? "Say why it is frozen." : undefined)}
      >
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Black Friday" />
      </Field>
      <Field
        label="Frozen until"
        error={error?.fieldError("until") ?? (tried && !untilIso ? "Pick when the freeze ends." : undefined)}
      >
        <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
      </Field>
      <button type="submit" className="button button-primary" disabled={freeze.isPending}>
        Freeze
      </button>
      <button type="button" className="button" onClick={onDone}>
        Cancel
      </button>
      {error && !error.errors.length && <ErrorBanner error={error} />}
    </form>
  );
}
