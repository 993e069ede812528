/**
 * @module `/users`: people and their roles (viewer reads, editor changes flags, admin manages keys, users
 * and environments). Inviting someone shows their one-time setup link once; roles change in place (with
 * the version the row was read at); disabling ends their sessions.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.js";
import { ConflictNotice } from "../components/ConflictNotice.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FormErrors } from "../components/FormErrors.js";
import { SecretOnce } from "../components/SecretOnce.js";
import "../keys/keys.css";

type Role = "viewer" | "editor" | "admin";
export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  passwordSet: boolean;
  version: number;
  createdAt: string;
}

type UserChanges = Partial<Pick<User, "role" | "disabled">>;
interface UserUpdate {
  user: User;
  changes: UserChanges;
  /** The version to base the change on: the row's, or (after a conflict) the current one. */
  version?: number;
}

/** What a diff of two user rows shows. */
const userFields = (u: User) => ({ name: u.name, email: u.email, role: u.role, disabled: u.disabled });

export function UsersPage() {
  const client = useQueryClient();
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => api<{ users: User[] }>("/users").then((r) => r.users),
  });
  const [link, setLink] = useState<string | null>(null);
  const [conflict, setConflict] = useState<(UserUpdate & { current: User }) | null>(null);
  const update = useMutation({
    mutationFn: ({ user, changes, version }: UserUpdate) =>
      api(`/users/${user.id}`, { method: "PATCH", body: { ...changes, version: version ?? user.version } }),
    onSuccess: () => setConflict(null),
    onError: (error, attempt) => {
      const current = error instanceof ApiError && error.isConflict ? error.current<User>() : undefined;
      if (current) setConflict({ ...attempt, current });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["users"] }),
  });

  return (
    <section className="page users" aria-labelledby="users-title">
      <header className="page-header">
        <h1 id="users-title">Users</h1>
      </header>
      {link && <SecretOnce label="Setup link" value={link} onDone={() => setLink(null)} />}
      <InviteForm onInvited={setLink} />
      <ErrorBanner error={users.error ?? (conflict ? null : update.error)} />
      {conflict && (
        <ConflictNotice
          what={`${conflict.user.name}'s account`}
          before={userFields(conflict.user)}
          current={userFields(conflict.current)}
          onRetry={() => update.mutate({ ...conflict, version: conflict.current.version })}
          onDismiss={() => setConflict(null)}
        />
      )}
      {users.isPending && <p className="muted">Loading…</p>}
      {users.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.name}</th>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.name}`}
                    value={u.role}
                    onChange={(e) => update.mutate({ user: u, changes: { role: e.target.value as Role } })}
                  >
                    <option value="viewer">viewer</option>
                    <option value="editor">editor</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td>{u.disabled ? "disabled" : u.passwordSet ? "active" : "invited"}</td>
                <td>
                  <button
                    type="button"
                    className={u.disabled ? "button" : "button button-danger"}
                    onClick={() => update.mutate({ user: u, changes: { disabled: !u.disabled } })}
                  >
                    {u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: (setupUrl: string) => void }) {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const invite = useMutation({
    mutationFn: () =>
      api<{ user: User; setupUrl?: string }>("/users", { method: "POST", body: { email, name, role } }),
    onSuccess: (result) => {
      if (result.setupUrl) onInvited(result.setupUrl);
      setEmail("");
      setName("");
      client.invalidateQueries({ queryKey: ["users"] });
    },
  });
  const error = invite.error instanceof ApiError ? invite.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Invite someone">
      <Field label="Email" error={error?.fieldError("email")}>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label="Name" error={error?.fieldError("name")}>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Role" error={error?.fieldError("role")}>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="viewer">viewer</option>
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </select>
      </Field>
      <FormErrors error={invite.error} fields={["email", "name", "role"]} />
      <button type="submit" className="button button-primary" disabled={invite.isPending}>
        Invite
      </button>
    </form>
  );
}
