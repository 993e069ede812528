/** @module Storing promotions and their gate records, and reading them as the API shows them. */

import type { Kysely, Selectable } from "kysely";
import { sql } from "kysely";
import type { Actor } from "../auth/actor.js";
import type { Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { Database, PromotionGate } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError } from "../problem/errors.js";
import type { PromotionPreview, PromotionRequest, SourceSetup } from "./plan.js";

export type PromotionRow = Selectable<Database["promotions"]>;
type GateEventRow = Selectable<Database["promotion_gate_events"]>;

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** Identity of an actor across requests (gate records name who decided). */
export const actorIdentity = (actor: Actor) => `${actor.type}:${actor.id ?? actor.name}`;

/**
 * The person behind an actor, so the requester of a promotion cannot approve it with an admin token
 * they created themselves: a user is their email; an API key created by a user is that user.
 */
export async function personBehind(db: Kysely<Database> | Trx, actor: Actor): Promise<string> {
  if (actor.type === "user") return `user:${actor.name}`;
  if (actor.type === "api_key" && actor.id && /^\d+$/.test(actor.id)) {
    const creator = await db
      .selectFrom("api_keys")
      .innerJoin("users", "users.email", "api_keys.created_by")
      .select("users.email")
      .where("api_keys.id", "=", Number(actor.id))
      .executeTakeFirst();
    if (creator) return `user:${creator.email}`;
  }
  return actorIdentity(actor);
}

export function gateEventView(row: GateEventRow) {
  return {
    gate: row.gate,
    outcome: row.outcome,
    by: row.actor_name,
    at: iso(row.at) as string,
    comment: row.comment,
    details: row.details ?? null,
  };
}

export function promotionSummary(row: PromotionRow) {
  return {
    id: row.id,
    from: row.from_environment,
    to: row.to_environments,
    selector: row.selector,
    flags: row.flags,
    gate: row.gate,
    status: row.status,
    reason: row.reason,
    error: row.error,
    requestedBy: row.requested_by,
    requestedAt: iso(row.requested_at) as string,
    appliedBy: row.applied_by,
    appliedAt: iso(row.applied_at),
    revertedBy: row.reverted_by,
    revertedAt: iso(row.reverted_at),
  };
}

export function promotionView(row: PromotionRow, events: GateEventRow[]) {
  return {
    ...promotionSummary(row),
    previewHash: row.preview_hash,
    preview: row.preview,
    replaced: row.replaced_states,
    appliedVersions: row.applied_versions,
    gateRecord: events.map(gateEventView),
  };
}

export async function listPromotions(deps: Pick<AppDeps, "db">, filter: { status?: string; limit?: number }) {
  let query = deps.db
    .selectFrom("promotions")
    .selectAll()
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100);
  if (filter.status) query = query.where("status", "=", filter.status as PromotionRow["status"]);
  return (await query.execute()).map(promotionSummary);
}

export async function getPromotion(deps: Pick<AppDeps, "db">, id: number) {
  const row = await findPromotion(deps.db, id);
  const events = await deps.db
    .selectFrom("promotion_gate_events")
    .selectAll()
    .where("promotion_id", "=", id)
    .orderBy("id")
    .execute();
  return promotionView(row, events);
}

export async function findPromotion(db: Kysely<Database>, id: number): Promise<PromotionRow> {
  const row = await db.selectFrom("promotions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No promotion ${id}.`);
  return row;
}

export async function lockPromotion(trx: Trx, id: number): Promise<PromotionRow> {
  const row = await trx
    .selectFrom("promotions")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No promotion ${id}.`);
  return row;
}

/** The environments a promotion goes to (they never change once it is requested). */
export async function promotionTargets(db: Kysely<Database>, id: number): Promise<string[]> {
  const row = await db
    .selectFrom("promotions")
    .select("to_environments")
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No promotion ${id}.`);
  return row.to_environments;
}

/** The approval recorded on a promotion that also waits for a soak period, with the preview it approved. */
export async function recordedApproval(db: Kysely<Database> | Trx, id: number) {
  const event = await db
    .selectFrom("promotion_gate_events")
    .selectAll()
    .where("promotion_id", "=", id)
    .where("gate", "=", "approval")
    .where("outcome", "=", "passed")
    .executeTakeFirst();
  return event ? { by: event.actor_name, preview: (event.details as { preview: string }).preview } : null;
}

/** Ids are drawn before the transaction so the audit entry can name the promotion it creates. */
export async function nextPromotionId(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ id: string | number }>`select nextval('promotions_id_seq') as id`.execute(db);
  return Number(rows[0]?.id);
}

export async function recordGateEvent(
  trx: Trx,
  promotionId: number,
  event: {
    gate: GateEventRow["gate"];
    outcome: GateEventRow["outcome"];
    actor: Actor;
    comment?: string | null;
    details?: unknown;
    at: Date;
  },
) {
  await trx
    .insertInto("promotion_gate_events")
    .values({
      promotion_id: promotionId,
      gate: event.gate,
      outcome: event.outcome,
      actor_name: event.actor.name,
      actor_id: actorIdentity(event.actor),
      comment: event.comment ?? null,
      details: event.details === undefined ? null : jsonb(event.details),
      at: event.at,
    })
    .execute();
}

/** Records a promotion: applied now (with what it replaced) or pending its gate. */
export async function insertPromotion(
  trx: Trx,
  id: number,
  p: {
    actor: Actor;
    request: PromotionRequest;
    flags: string[];
    preview: PromotionPreview;
    sources: Map<string, SourceSetup>;
    gate: PromotionGate | null;
    reason?: string;
    now: Date;
    applied?: {
      replaced: Record<string, Record<string, unknown>>;
      versions: Record<string, Record<string, number>>;
    };
  },
) {
  await trx
    .insertInto("promotions")
    .values({
      id,
      from_environment: p.request.from,
      to_environments: jsonb(p.request.to),
      selector: jsonb(p.request.selector),
      flags: jsonb(p.flags),
      gate: p.gate ? jsonb(p.gate) : null,
      status: p.applied ? "applied" : "pending",
      preview_hash: p.preview.hash,
      preview: jsonb(p.preview),
      source_states: jsonb(Object.fromEntries(p.sources)),
      replaced_states: p.applied ? jsonb(p.applied.replaced) : null,
      applied_versions: p.applied ? jsonb(p.applied.versions) : null,
      reason: p.reason ?? null,
      requested_by: p.actor.name,
      requested_by_id: await personBehind(trx, p.actor),
      requested_at: p.now,
      applied_by: p.applied ? p.actor.name : null,
      applied_at: p.applied ? p.now : null,
    })
    .execute();
}
