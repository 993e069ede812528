/**
 * @module `/segments`: pilot-user cohorts per environment — who is in them (keys pasted or uploaded as CSV,
 * 100,000 without freezing the page: parsed in chunks, summarised, never rendered one by one), attribute
 * rules, and which flags use them. Edits carry the version they were based on.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { useOverview } from "../api/overview.js";
import { queryKeys } from "../api/query.js";
import { useSegmentList } from "../api/segments.js";
import type { Clause } from "../api/types.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { ClauseEditor } from "../flag/ClauseEditor.js";
import { type ParsedKeys, parseKeys } from "./keys.js";
import "../keys/keys.css";

interface Segment {
  key: string;
  name: string;
  description: string;
  included: string[];
  excluded: string[];
  rules: { id?: string; clauses: Clause[] }[];
  version: number;
}
interface SegmentSummary {
  key: string;
  name: string;
  includedCount?: number;
  excludedCount?: number;
  rules?: unknown[];
}

const enc = encodeURIComponent;

export function SegmentsPage() {
  const environments = useEnvironments();
  const [chosen, setChosen] = useState("");
  const env = chosen || environments.data?.[0]?.key || "";
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="page segments" aria-labelledby="segments-title">
      <header className="page-header">
        <h1 id="segments-title">Segments</h1>
        <Field label="Environment">
          <select
            value={env}
            onChange={(e) => {
              setChosen(e.target.value);
              setOpen(null);
            }}
          >
            {environments.data?.map((e) => (
              <option key={e.key} value={e.key}>
                {e.name}
              </option>
            ))}
          </select>
        </Field>
      </header>
      {env && <SegmentList env={env} onOpen={setOpen} />}
      {env && open && <SegmentEditor key={`${env}/${open}`} env={env} segmentKey={open} />}
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
      api(`/environments/${enc(env)}/segments`, { method: "POST", body: { key, name: name || key } }),
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
      {error && !error.errors.length && <ErrorBanner error={error} />}
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        Create segment
      </button>
    </form>
  );
}

function SegmentEditor({ env, segmentKey }: { env: string; segmentKey: string }) {
  const client = useQueryClient();
  const path = `/environments/${enc(env)}/segments/${enc(segmentKey)}`;
  const segment = useQuery({
    queryKey: queryKeys.segment(env, segmentKey),
    queryFn: () => api<Segment>(path),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.segments(env) });
  };
  if (!segment.data) return <ErrorBanner error={segment.error} />;
  const s = segment.data;
  return (
    <section className="segment-editor" aria-label={`Segment ${s.key}`}>
      <h2>{s.name}</h2>
      <p className="muted">
        {s.included.length.toLocaleString()} keys in
        {s.included.length > 0 && `: ${s.included.slice(0, 5).join(", ")}${s.included.length > 5 ? "…" : ""}`}
      </p>
      <KeyUpload path={`${path}/included`} version={s.version} label="Included keys" onDone={refresh} />
      <RulesEditor path={path} segment={s} onDone={refresh} />
    </section>
  );
}

function KeyUpload({
  path,
  version,
  label,
  onDone,
}: {
  path: string;
  version: number;
  label: string;
  onDone: () => void;
}) {
  const [parsed, setParsed] = useState<ParsedKeys | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (keys: string[]) =>
      api(path, { method: "PUT", body: keys.join("\n"), headers: { "content-type": "text/plain" }, version }),
    onSuccess: () => {
      setParsed(null);
      onDone();
    },
  });
  const read = async (text: string, csv: boolean) => {
    setParsed(null);
    setProgress("Reading…");
    const result = await parseKeys(text, {
      csv,
      onProgress: (done, total) => setProgress(`Reading… ${Math.round((done / total) * 100)}%`),
    });
    setProgress(null);
    setParsed(result);
  };
  return (
    <fieldset className="key-upload">
      <legend>{label}</legend>
      <label className="field">
        <span>Paste keys (one per line)</span>
        <textarea
          rows={4}
          onBlur={(e) => e.target.value && read(e.target.value, false)}
          placeholder={"user-alice\nuser-bob"}
        />
      </label>
      <label className="field">
        <span>…or upload a CSV (first column)</span>
        <input
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={async (e) => e.target.files?.[0] && read(await e.target.files[0].text(), true)}
        />
      </label>
      {progress && <p role="status">{progress}</p>}
      {parsed && (
        <div role="status" className="parsed-keys">
          <strong>{parsed.keys.length.toLocaleString()} keys</strong>
          {parsed.duplicates > 0 && `, ${parsed.duplicates.toLocaleString()} duplicates dropped`}
          {parsed.keys.length > 0 && (
            <span className="muted">
              {" "}
              — {parsed.keys.slice(0, 5).join(", ")}
              {parsed.keys.length > 5 ? "…" : ""}
            </span>
          )}
          {parsed.invalid.slice(0, 5).map((i) => (
            <p key={`${i.line}-${i.reason}`} className="field-error">
              {i.line ? `line ${i.line}: ` : ""}
              {i.reason}
            </p>
          ))}
          <button
            type="button"
            className="button button-primary"
            disabled={parsed.invalid.length > 0 || upload.isPending}
            onClick={() => upload.mutate(parsed.keys)}
          >
            Replace {label.toLowerCase()} with these {parsed.keys.length.toLocaleString()}
          </button>
        </div>
      )}
      <ErrorBanner error={upload.error} />
    </fieldset>
  );
}

function RulesEditor({ path, segment, onDone }: { path: string; segment: Segment; onDone: () => void }) {
  const [rules, setRules] = useState(segment.rules);
  const save = useMutation({
    mutationFn: () => api(path, { method: "PATCH", body: { rules, version: segment.version } }),
    onSuccess: onDone,
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <fieldset className="segment-rules">
      <legend>Attribute rules (anyone matching a rule is in the segment)</legend>
      {rules.map((rule, i) => (
        <ClauseEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: rules are positional here
          key={i}
          label={`Segment rule ${i + 1}`}
          clause={rule.clauses[0] ?? { attribute: "", op: "in", values: [] }}
          segments={[]}
          onChange={(clause) => setRules(rules.map((r, j) => (j === i ? { ...r, clauses: [clause] } : r)))}
          onRemove={() => setRules(rules.filter((_, j) => j !== i))}
        />
      ))}
      <button
        type="button"
        className="button button-quiet"
        onClick={() =>
          setRules([...rules, { clauses: [{ attribute: "email", op: "endsWith", values: [] }] }])
        }
      >
        + rule
      </button>
      <button type="button" className="button" onClick={() => save.mutate()} disabled={save.isPending}>
        Save rules
      </button>
      {error && <p className="field-error">{error.fieldError("rules") ?? error.message}</p>}
    </fieldset>
  );
}
