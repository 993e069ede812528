/** @module Renders its children for a logged-in caller; otherwise sends them to `/login?next=<here>`. */
import type { ReactNode } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { useMe } from "./session.js";

export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const [location] = useLocation();
  const search = useSearch();
  if (me.isPending)
    return (
      <div className="loading-screen" aria-busy="true">
        <span className="visually-hidden">Loading…</span>
      </div>
    );
  if (me.error) {
    return (
      <main className="auth-page">
        <ErrorBanner error={me.error} title="Cannot reach the server" />
      </main>
    );
  }
  if (!me.data) {
    const here = location + (search ? `?${search}` : "");
    return <Redirect to={`/login?next=${encodeURIComponent(here)}`} replace />;
  }
  return children;
}
