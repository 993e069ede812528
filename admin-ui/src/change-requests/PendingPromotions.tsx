/**
 * @module Promotions waiting for an approval, on the approvals page beside the change requests: the
 * server files them apart (server/src/promotion), but whoever approves should find them in one place.
 * Each opens the same review as on the release screen (diff, gates, decision).
 */
import { useState } from "react";
import { ErrorBanner } from "../components/ErrorBanner.js";
import { type Promotion, usePromotions } from "../release/api.js";
import { describeGate } from "../release/gate.js";
import { PromotionReview } from "../release/PromotionReview.js";

const waitsForApproval = (p: Promotion) =>
  p.status === "pending" && (p.gate?.type !== "soak" || p.gate.approval === true);

export function PendingPromotions({ environment }: { environment: string }) {
  const promotions = usePromotions();
  const [open, setOpen] = useState<number | null>(null);
  const waiting = (promotions.data ?? []).filter(
    (p) => waitsForApproval(p) && (!environment || p.to.includes(environment)),
  );
  return (
    <section aria-labelledby="pending-promotions-title">
      <h2 id="pending-promotions-title">Promotions waiting for approval ({waiting.length})</h2>
      <ErrorBanner error={promotions.error} />
      {promotions.data && waiting.length === 0 && (
        <p className="empty">No promotion is waiting for approval.</p>
      )}
      <ul className="pending-promotions">
        {waiting.map((p) => (
          <li key={p.id}>
            <p>
              <strong>#{p.id}</strong> {p.flags.join(", ")}: {p.from} → {p.to.join(", ")} ·{" "}
              {describeGate(p.gate)} · requested by <strong>{p.requestedBy}</strong>
              {p.reason && <> · {p.reason}</>}{" "}
              {open !== p.id && (
                <button type="button" className="button" onClick={() => setOpen(p.id)}>
                  Review #{p.id}
                </button>
              )}
            </p>
            {open === p.id && <PromotionReview id={p.id} onClose={() => setOpen(null)} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
