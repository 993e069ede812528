/**
 * @module `/keys`: server and client SDK keys per environment, and admin tokens with a role. A new key's
 * secret is shown once; revoking asks first and takes effect at once.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { Dialog } from "../components/Dialog.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FormErrors } from "../components/FormErrors.js";
import { SecretOnce } from "../components/SecretOnce.js";
import "./keys.css";

export interface ApiKey {
  id: number;
  name: string;
  kind: "admin" | "server" | "client";
  role: "viewer" | "editor" | "admin" | null;
  environment: string | null;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const KIND_HELP = {
  server: "Server SDKs: the full ruleset of one environment. Keep it on your servers.",
  client: "Browsers and mobile apps: client-visible flags only, pilot-user keys hashed. Safe to ship.",
  admin: "Automation (CI, the CLI): the admin API with a role.",
};

export function KeysPage() {
  const client = useQueryClient();
  const keys = useQuery({
    queryKey: ["keys"],
    queryFn: () => api<{ keys: ApiKey[] }>("/keys").then((r) => r.keys),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useMutation({
    mutationFn: (id: number) => api(`/keys/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      client.invalidateQueries({ queryKey: ["keys"] });
    },
  });

  return (
    <section className="page keys" aria-labelledby="keys-title">
      <header className="page-header">
        <h1 id="keys-title">API keys</h1>
      </header>
      {secret && <SecretOnce label="New key" value={secret} onDone={() => setSecret(null)} />}
      <NewKeyForm onCreated={setSecret} />
      <ErrorBanner error={keys.error} />
      {keys.isPending && <p className="muted">Loading…</p>}
      {keys.data?.length === 0 && <p className="empty">No keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Environment / role</th>
              <th scope="col">Key starts with</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>{k.kind}</td>
                <td>{k.environment ?? k.role}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  <button type="button" className="button button-danger" onClick={() => setRevoking(k)}>
                    Revoke {k.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <Dialog title={`Revoke ${revoking.name}?`} tone="danger" onClose={() => setRevoking(null)}>
          <p>Anything using this key stops working at once. This cannot be undone.</p>
          <ErrorBanner error={revoke.error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setRevoking(null)}>
              Cancel
            </button>
            <button type="button" className="button button-danger" onClick={() => revoke.mutate(revoking.id)}>
              Revoke
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const client = useQueryClient();
  const environments = useEnvironments();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<ApiKey["kind"]>("server");
  const [environment, setEnvironment] = useState("");
  const [role, setRole] = useState("viewer");
  const create = useMutation({
    mutationFn: () =>
      api<ApiKey & { secret: string }>("/keys", {
        method: "POST",
        body:
          kind === "admin"
            ? { name, kind, role }
            : { name, kind, environment: environment || environments.data?.[0]?.key },
      }),
    onSuccess: (key) => {
      onCreated(key.secret);
      setName("");
      client.invalidateQueries({ queryKey: ["keys"] });
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Create a key">
      <Field label="Name" error={error?.fieldError("name")}>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="checkout-service production"
        />
      </Field>
      <Field label="Kind" hint={KIND_HELP[kind]} error={error?.fieldError("kind")}>
        <select value={kind} onChange={(e) => setKind(e.target.value as ApiKey["kind"])}>
          <option value="server">Server SDK</option>
          <option value="client">Client SDK</option>
          <option value="admin">Admin token</option>
        </select>
      </Field>
      {kind === "admin" ? (
        <Field label="Role" error={error?.fieldError("role")}>
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="viewer">viewer</option>
            <option value="editor">editor</option>
            <option value="admin">admin</option>
          </select>
        </Field>
      ) : (
        <Field label="Environment" error={error?.fieldError("environment")}>
          <select value={environment} onChange={(e) => setEnvironment(e.target.value)}>
            {environments.data?.map((env) => (
              <option key={env.key} value={env.key}>
                {env.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <FormErrors error={create.error} fields={["name", "kind", kind === "admin" ? "role" : "environment"]} />
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        Create key
      </button>
    </form>
  );
}
