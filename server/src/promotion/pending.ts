/**
 * @module Settling a pending promotion: its gate passed (apply the source setups pinned at request
 * time, as previewed, in one `promotion.apply`), or it was rejected or can no longer pass.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { PromotionGate } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError } from "../problem/errors.js";
import { affectedBy, auditAfter, type Replaced, replacedAndWritten, type Versions } from "./outcome.js";
import {
  blockedError,
  type FlagDefinition,
  type PromotionRequest,
  planPromotion,
  resolveRequest,
  type SourceSetup,
} from "./plan.js";
import { lockPromotion, recordGateEvent } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

/**
 * Applies a pending promotion whose gate just passed: the source setups pinned when it was requested
 * (what the requester previewed) go to the targets as they are now. The gate record and the writes
 * commit together, or neither does (and the promotion stays pending).
 */
export async function applyPending(
  deps: Deps,
  actor: Actor,
  id: number,
  passed: {
    gate: "approval" | "soak";
    comment?: string | null;
    details?: unknown;
    check?: (row: { requested_by_id: string; gate: PromotionGate | null }) => void;
  },
) {
  const now = deps.now();
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "promotion.apply",
      targetType: "promotion",
      targetKey: String(id),
      reason: passed.comment ?? null,
      before: (r: { replaced: Replaced }) => ({
        promotion: id,
        replaced: r.replaced,
      }),
      after: (r: { after: Record<string, unknown> }) => ({ ...r.after, gate: passed.gate }),
      affects: (r: { versions: Versions }) => affectedBy(r.versions),
    },
    async (trx) => {
      const row = await lockPromotion(trx, id);
      if (row.status !== "pending") throw new ConflictError(`Promotion ${id} is ${row.status}, not pending.`);
      passed.check?.(row);
      const request: PromotionRequest = {
        from: row.from_environment,
        to: row.to_environments,
        selector: { flags: row.flags },
      };
      const definitions: FlagDefinition[] = await resolveRequest(trx, request);
      const sources = new Map(Object.entries(row.source_states as Record<string, SourceSetup>));
      const planned = await planPromotion(trx, { request, definitions, sources, actor, now });
      if (planned.preview.blocked) throw blockedError(planned.preview.problems);
      const { replaced, versions } = replacedAndWritten(planned.preview, planned.written);
      await recordGateEvent(trx, id, {
        gate: passed.gate,
        outcome: "passed",
        actor,
        comment: passed.comment,
        details: passed.details,
        at: now,
      });
      await trx
        .updateTable("promotions")
        .set({
          status: "applied",
          replaced_states: jsonb(replaced),
          applied_versions: jsonb(versions),
          applied_by: actor.name,
          applied_at: now,
        })
        .where("id", "=", id)
        .execute();
      return { replaced, versions, after: auditAfter(id, planned.preview, versions) };
    },
  );
  return { id, status: "applied" as const, ...result, rulesetVersions };
}

/** Closes a pending promotion without applying it (rejected by a person, or failed by its gate). */
export async function closePending(
  deps: Deps,
  actor: Actor,
  id: number,
  outcome: { status: "rejected" | "failed"; gate: "approval" | "soak"; comment: string; details?: unknown },
) {
  const now = deps.now();
  await commitChange(
    deps,
    {
      actor,
      action: outcome.status === "rejected" ? "promotion.reject" : "promotion.fail",
      targetType: "promotion",
      targetKey: String(id),
      reason: outcome.comment,
      before: { promotion: id, status: "pending" },
      after: { promotion: id, status: outcome.status },
      affects: [],
    },
    async (trx) => {
      const row = await lockPromotion(trx, id);
      if (row.status !== "pending") throw new ConflictError(`Promotion ${id} is ${row.status}, not pending.`);
      await recordGateEvent(trx, id, {
        gate: outcome.gate,
        outcome: outcome.status === "rejected" ? "rejected" : "failed",
        actor,
        comment: outcome.comment,
        details: outcome.details,
        at: now,
      });
      await trx
        .updateTable("promotions")
        .set({ status: outcome.status, error: outcome.status === "failed" ? outcome.comment : null })
        .where("id", "=", id)
        .execute();
    },
  );
  return { id, status: outcome.status };
}
