/**
 * @module The preview of a promotion (nothing changes yet): per target and flag what it will serve
 * afterwards, what blocks it, and how to go — now, after a manual approval, or after a soak period.
 * What is promoted is exactly what was previewed: the preview's hash goes with the request.
 */
import { useEffect, useState } from "react";
import { ApiError } from "../api/client.js";
import { useEnvironments } from "../api/flags.js";
import { useCan } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen } from "../freezes/override.js";
import { type Gate, type PromotionStatus, type Selection, usePreview, usePromotionActions } from "./api.js";
import { DEFAULT_MAX_MISMATCH_RATE } from "./gate.js";
import { SetupDiff } from "./SetupDiff.js";

export interface Promoted {
  id: number;
  status: PromotionStatus;
}

export interface PreviewPanelProps {
  selection: Selection;
  onPromoted: (outcome: Promoted) => void;
  onCancel: () => void;
}

const what = (s: Selection) => ("tag" in s ? `release ${s.tag}` : s.flags.join(", "));

export function PreviewPanel({ selection, onPromoted, onCancel }: PreviewPanelProps) {
  const preview = usePreview();
  const { promote } = usePromotionActions();
  const canEdit = useCan("editor");
  const [reason, setReason] = useState("");
  const ask = preview.mutate;
  useEffect(() => ask(selection), [ask, selection]);
  const data = preview.data;
  const anyChange = data?.targets.some((t) => t.flags.some((f) => !f.unchanged)) ?? false;
  const stale = promote.error instanceof ApiError && promote.error.status === 409;

  const go = (gate?: Gate, override?: string) =>
    data &&
    promote.mutate(
      { selection, expectedPreview: data.hash, gate, reason: reason.trim() || undefined, override },
      { onSuccess: (r) => onPromoted({ id: r.id, status: r.status }) },
    );
  const again = () => {
    promote.reset();
    ask(selection);
  };

  return (
    <section className="preview-panel" aria-label="Promotion preview">
      <h2>
        {what(selection)}: {selection.from} → {selection.to.join(", ")}
      </h2>
      <ErrorBanner error={preview.error} />
      {preview.isPending && <p className="muted">Working out what would change…</p>}
      {data && <SetupDiff preview={data} />}
      {data?.problems.map((p) => (
        <p key={`${p.environment}-${p.flag}-${p.message}`} className="field-error" role="alert">
          Blocked: {p.flag} in {p.environment}: {p.message}
        </p>
      ))}
      {stale ? (
        <div className="banner banner-error" role="alert">
          <p>
            <strong>The setups changed since this preview.</strong> {(promote.error as ApiError).detail}
          </p>
          <button type="button" className="button" onClick={again}>
            Preview again
          </button>
        </div>
      ) : isFrozen(promote.error) ? (
        <FrozenNotice
          error={promote.error}
          pending={promote.isPending}
          onOverride={(override) => go(promote.variables?.gate, override)}
        />
      ) : (
        <PromoteErrors error={promote.error} />
      )}
      {data && canEdit && !data.blocked && anyChange && !stale && (
        <HowToGo
          selection={selection}
          reason={reason}
          setReason={setReason}
          busy={promote.isPending}
          onGo={go}
          onCancel={onCancel}
        />
      )}
      {data && (data.blocked || !anyChange) && (
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Close
          </button>
        </div>
      )}
    </section>
  );
}

function PromoteErrors({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <>
      <ErrorBanner error={error} />
      {error instanceof ApiError &&
        error.errors.map((e) => (
          <p key={e.path} className="field-error">
            {e.path}: {e.message}
          </p>
        ))}
    </>
  );
}

interface HowToGoProps {
  selection: Selection;
  reason: string;
  setReason: (reason: string) => void;
  busy: boolean;
  onGo: (gate?: Gate) => void;
  onCancel: () => void;
}

function HowToGo({ selection, reason, setReason, busy, onGo, onCancel }: HowToGoProps) {
  const envs = useEnvironments().data ?? [];
  const guarded = envs.filter((e) => selection.to.includes(e.key) && e.requiresApproval).map((e) => e.name);
  const [minutes, setMinutes] = useState("60");
  const [maxPercent, setMaxPercent] = useState(String(DEFAULT_MAX_MISMATCH_RATE * 100));
  const soakMinutes = Number(minutes);
  const soakRate = Number(maxPercent) / 100;
  const soakValid =
    Number.isInteger(soakMinutes) &&
    soakMinutes >= 1 &&
    maxPercent.trim() !== "" &&
    soakRate >= 0 &&
    soakRate <= 1;
  return (
    <div className="how-to-go">
      <Field label="Reason (goes into the audit log)">
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      {guarded.length > 0 && (
        <p className="muted">
          {guarded.join(", ")} {guarded.length === 1 ? "requires" : "require"} approval: the promotion waits
          for another editor or admin.
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => onGo({ type: "approval" })}>
          Request approval
        </button>
        {guarded.length === 0 && (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => onGo()}>
            Promote now
          </button>
        )}
      </div>
      <fieldset className="soak-gate">
        <legend>Or promote after a soak period</legend>
        <p className="muted small">
          Applies by itself once every flag has been unchanged in {selection.from} for the soak time, with its
          guards green and shadow mismatches under the limit.
        </p>
        <div className="inline-form">
          <Field label="Soak minutes">
            <input
              type="number"
              min={1}
              step={1}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          </Field>
          <Field label="Max shadow mismatch rate (%)">
            <input
              type="number"
              min={0}
              max={100}
              step={0.1}
              value={maxPercent}
              onChange={(e) => setMaxPercent(e.target.value)}
            />
          </Field>
          <button
            type="button"
            className="button"
            disabled={busy || !soakValid}
            onClick={() => onGo({ type: "soak", minutes: soakMinutes, maxMismatchRate: soakRate })}
          >
            Promote after soak
          </button>
        </div>
      </fieldset>
    </div>
  );
}
