/**
 * @module `/release`: each flag's journey across environments (development → staging → production) like a
 * pipeline — which match, which lag, a promote button where they differ — and promotions: always a preview
 * of what the target will serve first, then promote now or ask for an approval; pending ones approved or
 * rejected by someone else, applied ones reverted in one click.
 */
import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { useCan, useMe } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import {
  type Preview,
  type Selection,
  usePipeline,
  usePreview,
  usePromotionActions,
  usePromotions,
} from "./api.js";
import "../keys/keys.css";
import "./release.css";

export function ReleasePage() {
  const [tag, setTag] = useState("");
  const [selection, setSelection] = useState<Selection | null>(null);
  return (
    <section className="page release" aria-labelledby="release-title">
      <header className="page-header">
        <h1 id="release-title">Release</h1>
      </header>
      <PromoteForm onPreview={setSelection} tag={tag} setTag={setTag} />
      {selection && (
        <PreviewPanel
          key={JSON.stringify(selection)}
          selection={selection}
          onDone={() => setSelection(null)}
        />
      )}
      <PipelineTable tag={tag} onPromote={setSelection} />
      <PromotionList />
    </section>
  );
}

function PromoteForm({
  onPreview,
  tag,
  setTag,
}: {
  onPreview: (s: Selection) => void;
  tag: string;
  setTag: (t: string) => void;
}) {
  const envs = useEnvironments().data ?? [];
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const source = from || envs[envs.length - 2]?.key || "";
  const target = to || envs[envs.length - 1]?.key || "";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tag.trim()) onPreview({ from: source, to: [target], tag: tag.trim() });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Promote a release">
      <Field label="Release tag">
        <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="release-42" />
      </Field>
      <Field label="From">
        <select value={source} onChange={(e) => setFrom(e.target.value)}>
          {envs.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="To">
        <select value={target} onChange={(e) => setTo(e.target.value)}>
          {envs.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="button button-primary" disabled={!tag.trim()}>
        Preview promotion
      </button>
    </form>
  );
}

function PreviewPanel({ selection, onDone }: { selection: Selection; onDone: () => void }) {
  const preview = usePreview();
  const { promote } = usePromotionActions();
  const canEdit = useCan("editor");
  const ask = preview.mutate;
  useEffect(() => ask(selection), [ask, selection]);
  const data: Preview | undefined = preview.data;
  const changed =
    data?.targets.flatMap((t) =>
      t.flags.filter((f) => !f.unchanged).map((f) => ({ env: t.environment, ...f })),
    ) ?? [];
  const go = (gate?: { type: "approval" }) =>
    data &&
    promote.mutate(
      { ...selection, expectedPreview: data.hash, ...(gate ? { gate } : {}) },
      { onSuccess: onDone },
    );
  return (
    <section className="preview-panel" aria-label="Promotion preview">
      <h2>
        {selection.from} → {selection.to.join(", ")}
      </h2>
      <ErrorBanner error={preview.error ?? promote.error} />
      {!data && <p className="muted">Working out what would change…</p>}
      {data && changed.length === 0 && <p className="empty">The target already serves exactly this.</p>}
      {changed.map((c) => (
        <div key={`${c.env}-${c.flag}`} className="preview-flag">
          <h3>
            {c.flag} in {c.env}
          </h3>
          <ul>
            {c.changes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ))}
      {data?.problems.map((p) => (
        <p key={`${p.environment}-${p.flag}-${p.message}`} className="field-error" role="alert">
          Blocked: {p.flag} in {p.environment}: {p.message}
        </p>
      ))}
      {data && canEdit && !data.blocked && changed.length > 0 && (
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
          <button type="button" className="button" onClick={() => go({ type: "approval" })}>
            Request approval
          </button>
          <button type="button" className="button button-primary" onClick={() => go()}>
            Promote now
          </button>
        </div>
      )}
      {promote.error instanceof ApiError && promote.error.status === 409 && (
        <p className="muted">The source changed since the preview: preview again.</p>
      )}
    </section>
  );
}

function PipelineTable({ tag, onPromote }: { tag: string; onPromote: (s: Selection) => void }) {
  const pipeline = usePipeline(tag);
  const canEdit = useCan("editor");
  if (!pipeline.data) return <ErrorBanner error={pipeline.error} />;
  return (
    <table className="data-table pipeline">
      <caption>Pipeline{tag ? ` of ${tag}` : ""}: where each flag's setup has reached</caption>
      <thead>
        <tr>
          <th scope="col">Flag</th>
          {pipeline.data.environments.map((e) => (
            <th scope="col" key={e.key}>
              {e.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {pipeline.data.flags.map((f) => (
          <tr key={f.flag}>
            <th scope="row">
              {f.flag} {f.inSync && <span className="badge">in sync</span>}
            </th>
            {f.environments.map((cell) => (
              <td key={cell.environment} className={cell.sameAsPrevious === false ? "lagging" : ""}>
                {cell.on ? "on" : "off"}
                {cell.sameAsPrevious === true && <span className="muted small"> · same as before</span>}
                {cell.pendingPromotion && (
                  <span className="badge"> promotion #{cell.pendingPromotion} pending</span>
                )}
                {cell.promote && canEdit && !cell.pendingPromotion && (
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={`Promote ${f.flag} from ${cell.promote.from} to ${cell.promote.to}`}
                    onClick={() =>
                      onPromote({ from: cell.promote?.from ?? "", to: [cell.environment], flags: [f.flag] })
                    }
                  >
                    promote
                  </button>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PromotionList() {
  const promotions = usePromotions();
  const { decide } = usePromotionActions();
  const canEdit = useCan("editor");
  const me = useMe().data;
  if (!promotions.data?.length) return null;
  return (
    <table className="data-table">
      <caption>Promotions</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">What</th>
          <th scope="col">Status</th>
          <th scope="col">Requested by</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {promotions.data.map((p) => (
          <tr key={p.id}>
            <td>{p.id}</td>
            <td>
              {p.flags.join(", ")}: {p.from} → {p.to.join(", ")}
            </td>
            <td>
              {p.status}
              {p.status === "pending" && p.gate?.type === "approval" && " (waiting for approval)"}
            </td>
            <td>{p.requestedBy}</td>
            <td>
              <ErrorBanner error={decide.error} />
              {canEdit && p.status === "pending" && p.requestedBy !== me?.name && (
                <>
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => decide.mutate({ id: p.id, verdict: "approve" })}
                  >
                    Approve #{p.id}
                  </button>{" "}
                  <button
                    type="button"
                    className="button"
                    onClick={() => decide.mutate({ id: p.id, verdict: "reject" })}
                  >
                    Reject #{p.id}
                  </button>
                </>
              )}
              {canEdit && p.status === "applied" && (
                <button
                  type="button"
                  className="button"
                  onClick={() => decide.mutate({ id: p.id, verdict: "revert" })}
                >
                  Revert #{p.id}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
