/** @module `/login`: email and password; on success, back to where the user was going. */
import { type FormEvent, useState } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { ApiError } from "../api/client.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { useLogin, useMe } from "./session.js";

/** Only same-app paths: never bounce to another origin from a crafted `?next=`. */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/flags";
}

export function LoginPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const me = useMe();
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const error = login.error instanceof ApiError ? login.error : null;

  if (me.data) return <Redirect to={safeNext(search)} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(safeNext(search), { replace: true }) });
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Log in to Switchyard</h1>
        {login.error && !error?.errors.length && <ErrorBanner error={login.error} title="Could not log in" />}
        <Field label="Email" error={error?.fieldError("email")}>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password" error={error?.fieldError("password")}>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button button-primary" disabled={login.isPending}>
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
        <p className="muted small">
          First start? Open the one-time setup link the server printed to choose the admin password.
        </p>
      </form>
    </main>
  );
}
