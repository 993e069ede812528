/**
 * @module `/history`: the audit log, overall or per flag, newest first, with filters kept in the URL (so a
 * link shares the view) and each entry's before/after as a readable diff.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { api } from "../api/client.js";
import { DiffTable } from "../components/DiffTable.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { type AuditEntry, describeEntry } from "./describe.js";
import { diffValues } from "./diff.js";
import "./history.css";

const FILTERS = ["flag", "environment", "actor", "action"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  return Object.fromEntries(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f) as string]] : [])));
}

export function HistoryPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = readFilters(search);
  const log = useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam }) =>
      api<{ entries: AuditEntry[]; nextCursor: string | null }>("/audit", {
        query: { ...filters, cursor: pageParam, limit: 50 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];

  const apply = (next: Filters) => {
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v) as [string, string][]);
    const query = params.toString();
    navigate(query ? `/history?${query}` : "/history", { replace: true });
  };

  return (
    <section className="page history" aria-labelledby="history-title">
      <header className="page-header">
        <h1 id="history-title">History{filters.flag ? ` of ${filters.flag}` : ""}</h1>
      </header>
      <FilterForm filters={filters} onApply={apply} />
      <ErrorBanner error={log.error} />
      {log.isPending && <p className="muted">Loading…</p>}
      {!log.isPending && entries.length === 0 && !log.error && (
        <p className="empty">No changes match these filters.</p>
      )}
      <ol className="audit-list">
        {entries.map((entry) => (
          <AuditItem key={entry.id} entry={entry} />
        ))}
      </ol>
      {log.hasNextPage && (
        <button
          type="button"
          className="button"
          onClick={() => log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
        >
          {log.isFetchingNextPage ? "Loading…" : "Older changes"}
        </button>
      )}
    </section>
  );
}

function FilterForm({ filters, onApply }: { filters: Filters; onApply: (f: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(filters);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filter-bar" onSubmit={submit} aria-label="Filter the history">
      {FILTERS.map((name) => (
        <label key={name} className="filter">
          <span className="filter-label">{name[0]?.toUpperCase() + name.slice(1)}</span>
          <input
            name={name}
            value={draft[name] ?? ""}
            placeholder={name === "action" ? "e.g. flag.kill" : "any"}
            onChange={(e) => setDraft({ ...draft, [name]: e.target.value.trim() })}
          />
        </label>
      ))}
      <button type="submit" className="button">
        Filter
      </button>
    </form>
  );
}

function AuditItem({ entry }: { entry: AuditEntry }) {
  const changes = diffValues(entry.before, entry.after);
  return (
    <li className="audit-item">
      <div className="audit-line">
        <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
        <strong>{describeEntry(entry)}</strong>
        <span className="tag">{entry.action}</span>
        {entry.actor.type !== "user" && <span className="badge">{entry.actor.type}</span>}
      </div>
      {entry.reason && <p className="audit-reason">“{entry.reason}”</p>}
      {changes.length > 0 && (
        <details>
          <summary>
            {changes.length} change{changes.length === 1 ? "" : "s"}
          </summary>
          <DiffTable changes={changes} />
        </details>
      )}
    </li>
  );
}
