/**
 * @module `/change-requests`: edits waiting for approval in environments that require it, per environment
 * (`?environment=` keeps the choice in the URL), pending first, then decided ones.
 */
import { Link, useLocation, useSearch } from "wouter";
import { useEnvironments } from "../api/flags.js";
import { paths } from "../app/paths.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { useChangeRequests } from "./api.js";
import { ChangeRequestCard } from "./ChangeRequestCard.js";
import { PendingPromotions } from "./PendingPromotions.js";
import "./change-requests.css";

export function ChangeRequestsPage() {
  const environment = new URLSearchParams(useSearch()).get("environment") ?? "";
  const [, navigate] = useLocation();
  const environments = useEnvironments().data ?? [];
  const requests = useChangeRequests(environment);
  const pending = requests.data?.filter((r) => r.status === "pending") ?? [];
  const decided = requests.data?.filter((r) => r.status !== "pending") ?? [];
  return (
    <section className="page change-requests" aria-labelledby="change-requests-title">
      <header className="page-header">
        <h1 id="change-requests-title">Change requests</h1>
      </header>
      <p className="muted">
        In environments that require approval, an edit waits here until another editor or admin approves it.
        Kills never wait. Promotions waiting for approval are listed below them; all promotions are on the{" "}
        <Link href="/release">release</Link> screen.
      </p>
      <Field label="Environment">
        <select
          value={environment}
          onChange={(e) => navigate(paths.changeRequests(e.target.value), { replace: true })}
        >
          <option value="">All environments</option>
          {environments.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
              {e.requiresApproval ? " (requires approval)" : ""}
            </option>
          ))}
        </select>
      </Field>
      <ErrorBanner error={requests.error} />
      {requests.isPending && <p className="muted">Loading…</p>}
      <section aria-labelledby="pending-title">
        <h2 id="pending-title">Pending ({pending.length})</h2>
        {requests.data && pending.length === 0 && <p className="empty">Nothing is waiting for approval.</p>}
        {pending.map((r) => (
          <ChangeRequestCard key={r.id} request={r} />
        ))}
      </section>
      <PendingPromotions environment={environment} />
      {decided.length > 0 && (
        <section aria-labelledby="decided-title">
          <h2 id="decided-title">Decided</h2>
          {decided.map((r) => (
            <ChangeRequestCard key={r.id} request={r} />
          ))}
        </section>
      )}
    </section>
  );
}
