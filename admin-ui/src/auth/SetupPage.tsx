/**
 * @module `/setup?token=…`: the first-run page the server's one-time link opens. The admin (or a newly
 * invited user) chooses a password, and may correct their email and name; then they are logged in.
 */
import { type FormEvent, useEffect, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { ApiError } from "../api/client.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { useSetup, useSetupInfo } from "./session.js";

/** Mirrors the server's MIN_PASSWORD_LENGTH so the form can say so before sending. */
const MIN_PASSWORD_LENGTH = 10;
const FIELDS = ["email", "name", "password"];

const changed = (value: string, original: string | undefined) =>
  value.trim() && value.trim() !== original ? value.trim() : undefined;

export function SetupPage() {
  const token = new URLSearchParams(useSearch()).get("token") ?? "";
  const [, navigate] = useLocation();
  const info = useSetupInfo(token);
  const setup = useSetup();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const error = setup.error instanceof ApiError ? setup.error : null;

  useEffect(() => {
    if (info.data) {
      setEmail(info.data.email);
      setName(info.data.name);
    }
  }, [info.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setup.mutate(
      {
        token,
        password,
        // Only what the user changed: the server's placeholder email (admin@localhost) is not one it accepts back.
        email: changed(email, info.data?.email),
        name: changed(name, info.data?.name),
      },
      { onSuccess: () => navigate("/flags", { replace: true }) },
    );
  };

  if (!token || info.error) {
    return (
      <main className="auth-page">
        <div className="auth-card">
          <h1>Set up your account</h1>
          <ErrorBanner
            title="This setup link does not work"
            error={info.error ?? new Error("The link has no token. Open the full link the server printed.")}
          />
          <p className="muted small">
            Restart the server to get a fresh link for the first admin, or ask an admin for a new one.
          </p>
        </div>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title" noValidate>
        <h1 id="setup-title">Set up your account</h1>
        {info.isPending ? (
          <p className="muted">Checking the link…</p>
        ) : (
          <p className="muted">
            Choose a password for the <strong>{info.data?.role}</strong> account. This link works once.
          </p>
        )}
        {setup.error && (!error?.errors.length || error.otherErrors(FIELDS).length > 0) && (
          <ErrorBanner error={setup.error} title="Could not set up the account" />
        )}
        <Field label="Email" error={error?.fieldError("email")}>
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Name" error={error?.fieldError("name")}>
          <input type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field
          label="Password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          error={error?.fieldError("password")}
        >
          <input
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Field label="Repeat the password" error={mismatch ? "The two passwords differ." : undefined}>
          <input
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </Field>
        <button type="submit" className="button button-primary" disabled={setup.isPending || info.isPending}>
          {setup.isPending ? "Saving…" : "Set password and log in"}
        </button>
      </form>
    </main>
  );
}
