/**
 * @module One promotion for the people deciding on it: what it changes per target and flag (as previewed
 * when requested), its gate and gate record, and — pending — approve or reject with a comment; applied, a
 * revert that asks first. Only approval gates are approved by hand (a soak gate applies by itself), and
 * never by the requester.
 */
import { useState } from "react";
import { useCan, useMe } from "../auth/session.js";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { Field } from "../components/Field.js";
import { FrozenNotice } from "../freezes/FrozenNotice.js";
import { isFrozen } from "../freezes/override.js";
import {
  newerPreview,
  type Preview,
  type PromotionDetail,
  usePromotion,
  usePromotionActions,
} from "./api.js";
import { GateChecklist } from "./GateChecklist.js";
import { GateRecord } from "./GateRecord.js";
import { describeGate, waitingFor } from "./gate.js";
import { RevertDialog } from "./RevertDialog.js";
import { SetupDiff } from "./SetupDiff.js";

export function PromotionReview({ id, onClose }: { id: number; onClose: () => void }) {
  const promotion = usePromotion(id);
  const p = promotion.data;
  return (
    <section className="preview-panel promotion-review" aria-label={`Promotion #${id}`}>
      <div className="review-head">
        <h2>
          Promotion #{id}
          {p && `: ${p.from} → ${p.to.join(", ")}`}
        </h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorBanner error={promotion.error} />
      {promotion.isPending && <p className="muted">Loading…</p>}
      {p && <Details promotion={p} />}
    </section>
  );
}

function Details({ promotion: p }: { promotion: PromotionDetail }) {
  return (
    <>
      <p>
        <strong>{p.status}</strong> · gate: {describeGate(p.gate)} · requested by{" "}
        <strong>{p.requestedBy}</strong> on {new Date(p.requestedAt).toLocaleString()}
        {p.reason && <> · reason: {p.reason}</>}
      </p>
      {p.status === "pending" && <p className="muted">{waitingFor(p.gate, p.from)}</p>}
      {p.status === "pending" && <GateChecklist promotion={p} />}
      {p.error && <p className="field-error">{p.error}</p>}
      <h3>What it changes{p.status === "pending" ? " (as previewed when requested)" : ""}</h3>
      {p.preview ? <SetupDiff preview={p.preview} /> : <p>{p.flags.join(", ")}</p>}
      <GateRecord events={p.gateRecord} />
      {p.status === "pending" && <Decide promotion={p} />}
      {p.status === "applied" && <Revert promotion={p} />}
    </>
  );
}

function Decide({ promotion }: { promotion: PromotionDetail }) {
  const { decide } = usePromotionActions();
  const canDecide = useCan("editor");
  const me = useMe().data;
  const [comment, setComment] = useState("");
  const [needsWhy, setNeedsWhy] = useState(false);
  if (!canDecide) return <p className="muted small">An editor or admin decides on promotions.</p>;
  const own = me?.name === promotion.requestedBy;
  // A soak gate applies by itself, unless it also waits for an approval.
  const manual = promotion.gate?.type !== "soak" || promotion.gate.approval === true;
  const newer = newerPreview(decide.error);
  const approve = (override?: string, expectedPreview?: string) =>
    decide.mutate({ id: promotion.id, verdict: "approve", comment, override, expectedPreview });
  const reject = (override?: string) => {
    if (!comment.trim()) return setNeedsWhy(true);
    decide.mutate({ id: promotion.id, verdict: "reject", comment, override });
  };
  const retry = (override: string) =>
    decide.variables?.verdict === "reject" ? reject(override) : approve(override);
  return (
    <div className="decision">
      <Field label="Comment" error={needsWhy && !comment.trim() ? "Say why it is rejected." : undefined}>
        <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Field>
      {isFrozen(decide.error) ? (
        <FrozenNotice error={decide.error} pending={decide.isPending} onOverride={retry} />
      ) : newer ? (
        <NewerPreview
          id={promotion.id}
          preview={newer}
          detail={decide.error instanceof Error ? decide.error.message : ""}
          pending={decide.isPending}
          onApprove={() => approve(undefined, newer.hash)}
        />
      ) : (
        <ErrorBanner error={decide.error} />
      )}
      <div className="dialog-actions">
        <button type="button" className="button" disabled={decide.isPending} onClick={() => reject()}>
          Reject #{promotion.id}
        </button>
        {manual && !own && (
          <button
            type="button"
            className="button button-primary"
            disabled={decide.isPending}
            onClick={() => approve()}
          >
            Approve #{promotion.id}
          </button>
        )}
      </div>
      {manual && own && (
        <p className="muted small">You requested this promotion; another editor or admin must approve it.</p>
      )}
    </div>
  );
}

/**
 * A target changed since the promotion was previewed, so the server refused to apply what was reviewed
 * (409) and sent what it would apply now: the approver reads that and may approve exactly it.
 */
function NewerPreview(props: {
  id: number;
  preview: Preview;
  detail: string;
  pending: boolean;
  onApprove: () => void;
}) {
  return (
    <section className="banner newer-preview" aria-label={`New preview of promotion #${props.id}`}>
      <p role="alert">
        <strong>Not applied: what it would do has changed.</strong> {props.detail}
      </p>
      <h4>What it would change now</h4>
      <SetupDiff preview={props.preview} />
      {props.preview.blocked ? (
        <ul className="field-error">
          {props.preview.problems.map((p) => (
            <li key={`${p.environment}-${p.flag}-${p.message}`}>{p.message}</li>
          ))}
        </ul>
      ) : (
        <button
          type="button"
          className="button button-primary"
          disabled={props.pending}
          onClick={props.onApprove}
        >
          Approve the new preview
        </button>
      )}
    </section>
  );
}

function Revert({ promotion }: { promotion: PromotionDetail }) {
  const canEdit = useCan("editor");
  const [confirming, setConfirming] = useState(false);
  if (!canEdit) return null;
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={() => setConfirming(true)}>
        Revert #{promotion.id}…
      </button>
      {confirming && <RevertDialog promotion={promotion} onClose={() => setConfirming(false)} />}
    </div>
  );
}
