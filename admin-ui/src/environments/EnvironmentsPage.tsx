/**
 * @module `/environments`: environments in release order (development → staging → production), each with
 * its colour, whether changes need approval, its allowed browser origins and its ruleset version.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { queryKeys } from "../api/query.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FormErrors } from "../components/FormErrors.js";
import "../keys/keys.css";

export function EnvironmentsPage() {
  const environments = useEnvironments();
  return (
    <section className="page environments" aria-labelledby="environments-title">
      <header className="page-header">
        <h1 id="environments-title">Environments</h1>
      </header>
      <NewEnvironmentForm next={(environments.data?.length ?? 0) * 10} />
      <ErrorBanner error={environments.error} />
      {environments.isPending && <p className="muted">Loading…</p>}
      {environments.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Environment</th>
              <th scope="col">Key</th>
              <th scope="col">Changes</th>
              <th scope="col">Browser origins</th>
              <th scope="col">Ruleset version</th>
            </tr>
          </thead>
          <tbody>
            {environments.data.map((env) => (
              <tr key={env.key}>
                <th scope="row">
                  <span className="env-dot" style={{ background: env.color ?? "#8a94a0" }} aria-hidden />{" "}
                  {env.name}
                </th>
                <td>
                  <code>{env.key}</code>
                </td>
                <td>{env.requiresApproval ? "need approval" : "direct"}</td>
                <td>{env.corsOrigins.length ? env.corsOrigins.join(", ") : "—"}</td>
                <td>{env.rulesetVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewEnvironmentForm({ next }: { next: number }) {
  const client = useQueryClient();
  const [key, setKey] = useState("");
  const [name, setName] = useState("");
  const [requiresApproval, setRequiresApproval] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api("/environments", {
        method: "POST",
        body: { key, name: name || key, sortOrder: next, requiresApproval },
      }),
    onSuccess: () => {
      setKey("");
      setName("");
      client.invalidateQueries({ queryKey: queryKeys.environments });
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New environment">
      <Field label="Key" error={error?.fieldError("key")}>
        <input value={key} onChange={(e) => setKey(e.target.value)} placeholder="qa" />
      </Field>
      <Field label="Name" error={error?.fieldError("name")}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="QA" />
      </Field>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={requiresApproval}
          onChange={(e) => setRequiresApproval(e.target.checked)}
        />{" "}
        Changes need approval
      </label>
      <FormErrors error={create.error} fields={["key", "name"]} />
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        Add environment
      </button>
    </form>
  );
}
