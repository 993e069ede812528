/**
 * @module The transactional outbox: inside the transaction that writes an audit entry, one delivery row per
 * enabled webhook whose filters match. Called by `commitChange`; the worker (worker.ts) sends them.
 */

import { sentence } from "../changelog/sentence.js";
import type { Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";

export interface AuditEvent {
  auditId: number;
  at: Date;
  action: string;
  actor: { type: string; id: string | null; name: string };
  environment: string | null;
  /** Every environment the change concerns (several for a promotion to several): scoped hooks match any. */
  environments: string[];
  flag: string | null;
  targetType: string;
  targetKey: string;
  reason: string | null;
  before: unknown;
  after: unknown;
}

/** `*` matches everything, `flag.*` every action starting with `flag.`, anything else exactly. */
export function matchesEvent(patterns: string[], action: string): boolean {
  return patterns.some(
    (p) => p === "*" || p === action || (p.endsWith(".*") && action.startsWith(p.slice(0, -1))),
  );
}

const listeners = new Set<() => void>();
/** In-process wake-up for the worker after a commit queued deliveries (other instances poll). */
export function onQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function notifyQueued(): void {
  for (const listener of listeners) listener();
}

/** Inserts the deliveries for one audit entry; returns how many were queued. */
export async function enqueueWebhooks(trx: Trx, event: AuditEvent): Promise<number> {
  const hooks = await trx
    .selectFrom("webhooks")
    .select(["id", "events", "environment_key"])
    .where("enabled", "=", true)
    .execute();
  const matching = hooks.filter(
    (h) =>
      matchesEvent(h.events, event.action) &&
      (h.environment_key === null || event.environments.includes(h.environment_key)),
  );
  if (matching.length === 0) return 0;
  const payload = {
    id: event.auditId,
    event: event.action,
    occurredAt: event.at.toISOString(),
    actor: event.actor,
    environment: event.environment,
    environments: event.environments,
    flag: event.flag,
    target: { type: event.targetType, key: event.targetKey },
    reason: event.reason,
    before: event.before ?? null,
    after: event.after ?? null,
    text: sentence(event),
  };
  await trx
    .insertInto("webhook_deliveries")
    .values(
      matching.map((h) => ({
        webhook_id: h.id,
        audit_id: event.auditId,
        event: event.action,
        payload: jsonb(payload),
        // Due at once, whatever a worker's clock says (tests inject theirs).
        next_attempt_at: new Date(0),
      })),
    )
    .execute();
  return matching.length;
}
