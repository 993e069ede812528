/**
 * @module `/segments[/:env[/:segment]]`: pilot-user cohorts per environment — their size, attribute rules
 * and which flags use them — and one segment open for editing (SegmentEditor.tsx). The environment and
 * the open segment are in the URL, so a segment can be linked to.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useLocation } from "wouter";
import { ApiError, api } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { useOverview } from "../api/overview.js";
import { queryKeys } from "../api/query.js";
import { useSegmentList } from "../api/segments.js";
import { paths } from "../app/paths.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FormErrors } from "../components/FormErrors.js";
import { SegmentEditor } from "./SegmentEditor.js";
import "../keys/keys.css";
import "./segments.css";

interface SegmentSummary {
  key: string;
  name: string;
  includedCount?: number;
  excludedCount?: number;
  rules?: unknown[];
}

const decode = (part: string | undefined) => {
  try {
    return part ? decodeURIComponent(part) : "";
  } catch {
    return part ?? "";
  }
};

/** `/segments/production/beta%2Etesters` → the environment and segment it names (either may be ""). */
export function segmentRoute(location: string): { env: string; segment: string } {
  const [, , env, segment] = location.split("/");
  return { env: decode(env), segment: decode(segment) };
}

export function SegmentsPage() {
  const environments = useEnvironments();
  const [location, navigate] = useLocation();
  const route = segmentRoute(location);
  const env = route.env || environments.data?.[0]?.key || "";
  const open = (key: string) => navigate(paths.segment(env, key));
  return (
    <section className="page segments" aria-labelledby="segments-title">
      <header className="page-header">
        <h1 id="segments-title">Segments</h1>
        <Field label="Environment">
          <select value={env} onChange={(e) => navigate(paths.segmentsIn(e.target.value))}>
            {environments.data?.map((e) => (
              <option key={e.key} value={e.key}>
                {e.name}
              </option>
            ))}
          </select>
        </Field>
      </header>
      {env && <SegmentList env={env} onOpen={open} />}
      {env && route.segment && (
        <SegmentEditor key={`${env}/${route.segment}`} env={env} segmentKey={route.segment} />
      )}
    </section>
  );
}

function SegmentList({ env, onOpen }: { env: string; onOpen: (key: string) => void }) {
  const segments = useSegmentList(env);
  const flags = useOverview((o) => o.flags);
  const usedBy = (key: string) =>
    (flags.data ?? []).filter((f) => f.cells[env]?.segments?.includes(key)).map((f) => f.key);
  const list = (segments.data?.segments ?? []) as SegmentSummary[];
  return (
    <>
      <NewSegmentForm env={env} onCreated={onOpen} />
      <ErrorBanner error={segments.error} />
      {segments.data && list.length === 0 && <p className="empty">No segments in {env} yet.</p>}
      {list.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col">Keys</th>
              <th scope="col">Rules</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.key}>
                <th scope="row">
                  <button type="button" className="button-link" onClick={() => onOpen(s.key)}>
                    {s.name}
                  </button>{" "}
                  <code className="muted small">{s.key}</code>
                </th>
                <td>
                  {(s.includedCount ?? 0).toLocaleString()} in
                  {s.excludedCount ? `, ${s.excludedCount.toLocaleString()} out` : ""}
                </td>
                <td>{s.rules?.length ?? 0}</td>
                <td>{usedBy(s.key).join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function NewSegmentForm({ env, onCreated }: { env: string; onCreated: (key: string) => void }) {
  const client = useQueryClient();
  const canEdit = useCan("editor");
  const [key, setKey] = useState("");
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api(`/environments/${encodeURIComponent(env)}/segments`, {
        method: "POST",
        body: { key, name: name || key },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.segments(env) });
      onCreated(key);
      setKey("");
      setName("");
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  if (!canEdit) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New segment">
      <Field label="Key" error={error?.fieldError("key")}>
        <input value={key} onChange={(e) => setKey(e.target.value)} placeholder="beta-testers" />
      </Field>
      <Field label="Name" error={error?.fieldError("name")}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Beta testers" />
      </Field>
      <FormErrors error={create.error} fields={["key", "name"]} />
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        Create segment
      </button>
    </form>
  );
}
