/**
 * @module `/changelog`: what changed in one environment, when, by whom and why, as sentences people who
 * were not there can read; filters by flag, tag and actor (kept in the URL, so a link shares the view) and
 * exports of exactly what is shown as JSON or CSV.
 */
import { type FormEvent, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { useEnvironments } from "../api/flags.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { type ChangelogEntry, type ChangelogFilters, exportUrl, FILTERS, useChangelog } from "./api.js";
import "./changelog.css";

const LABEL = { flag: "Flag", tag: "Tag", actor: "Actor" } as const;

export function readChangelogSearch(search: string): { env: string | null; filters: ChangelogFilters } {
  const params = new URLSearchParams(search);
  const filters = Object.fromEntries(
    FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f) as string]] : [])),
  );
  return { env: params.get("environment"), filters };
}

export function ChangelogPage() {
  const [, navigate] = useLocation();
  const { env: chosen, filters } = readChangelogSearch(useSearch());
  const environments = useEnvironments().data ?? [];
  const env = chosen ?? environments[0]?.key ?? "";
  const log = useChangelog(env, filters);
  const go = (next: { env: string; filters: ChangelogFilters }) => {
    const params = new URLSearchParams({ environment: next.env, ...next.filters });
    navigate(`/changelog?${params.toString()}`, { replace: true });
  };
  return (
    <section className="page changelog" aria-labelledby="changelog-title">
      <header className="page-header">
        <h1 id="changelog-title">Changelog</h1>
        {env && (
          <div className="page-actions">
            <a
              className="button"
              href={exportUrl(env, filters, "json")}
              download={`switchyard-${env}-changelog.json`}
            >
              Export JSON
            </a>
            <a
              className="button"
              href={exportUrl(env, filters, "csv")}
              download={`switchyard-${env}-changelog.csv`}
            >
              Export CSV
            </a>
          </div>
        )}
      </header>
      <Field label="Environment">
        <select value={env} onChange={(e) => go({ env: e.target.value, filters })}>
          {environments.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
            </option>
          ))}
        </select>
      </Field>
      <FilterForm key={JSON.stringify(filters)} filters={filters} onApply={(f) => go({ env, filters: f })} />
      <ErrorBanner error={log.error} />
      {log.isPending && env && <p className="muted">Loading…</p>}
      {log.data && log.data.entries.length === 0 && <p className="empty">No changes match these filters.</p>}
      {log.data?.truncated && (
        <p className="muted small">
          Only the newest {log.data.entries.length} changes are shown; narrow the filters.
        </p>
      )}
      <ol className="changelog-list" aria-label={`Changes in ${env}`}>
        {log.data?.entries.map((e) => (
          <Entry key={`${e.at}-${e.action}-${e.summary}`} entry={e} />
        ))}
      </ol>
    </section>
  );
}

function FilterForm(props: { filters: ChangelogFilters; onApply: (filters: ChangelogFilters) => void }) {
  const [draft, setDraft] = useState(props.filters);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(Object.fromEntries(Object.entries(draft).filter(([, v]) => v?.trim())));
  };
  return (
    <form className="filter-bar" onSubmit={submit} aria-label="Filter the changelog">
      {FILTERS.map((name) => (
        <Field key={name} label={LABEL[name]}>
          <input
            value={draft[name] ?? ""}
            placeholder="any"
            onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
          />
        </Field>
      ))}
      <button type="submit" className="button">
        Filter
      </button>
    </form>
  );
}

function Entry({ entry: e }: { entry: ChangelogEntry }) {
  return (
    <li className="changelog-entry">
      <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
      <p>
        {e.summary}
        {e.actorType !== "user" && <span className="badge">{e.actorType}</span>}
      </p>
      {e.reason && <p className="muted">Why: {e.reason}</p>}
    </li>
  );
}
