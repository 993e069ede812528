/** @module A promotion as `GET /api/v1/promotions` lists it (#7, new-checkout staging → production), for tests. */
import type { Promotion } from "../release/api.js";

export const promotionSummary = (over: Partial<Promotion> = {}): Promotion => ({
  id: 7,
  from: "staging",
  to: ["production"],
  selector: { tag: "checkout" },
  flags: ["new-checkout"],
  status: "pending",
  gate: { type: "approval" },
  reason: "release 42",
  error: null,
  requestedBy: "ana",
  requestedAt: "2026-05-01T10:00:00Z",
  appliedBy: null,
  ...over,
});
