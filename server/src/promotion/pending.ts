/**
 * @module Settling a pending promotion: its gates passed (apply the source setups pinned at request
 * time, as previewed, in one `promotion.apply`), or it was rejected or can no longer pass. What is applied
 * is what someone saw: if a target changed since the preview (or since the approval), applying is refused
 * with the new preview rather than overwriting that change.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { PromotionGate } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError } from "../problem/errors.js";
import { affectedBy, auditAfter, type Replaced, replacedAndWritten, type Versions } from "./outcome.js";
import {
  blockedError,
  type FlagDefinition,
  type PromotionPreview,
  type PromotionRequest,
  planPromotion,
  resolveRequest,
  type SourceSetup,
} from "./plan.js";
import { lockPromotion, type PromotionRow, promotionTargets, recordGateEvent } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

/** A target was edited after the preview someone accepted; `current` is the preview as it would apply now. */
export class TargetChangedError extends ConflictError {
  constructor(
    readonly changed: string[],
    preview: PromotionPreview,
  ) {
    super(
      `${changed.join(", ")} changed since this promotion was previewed, so it would no longer apply what was reviewed. The new preview is in \`current\`: approve with its hash as "expectedPreview" to apply that instead.`,
      preview,
    );
  }
}

/** "flag in environment" for every target whose version differs between two previews. */
function changedTargets(previewed: PromotionPreview, now: PromotionPreview): string[] {
  const versionsOf = (p: PromotionPreview) =>
    new Map(
      p.targets.flatMap((t) => t.flags.map((f) => [`${f.flag} in ${t.environment}`, f.before.version])),
    );
  const was = versionsOf(previewed);
  return [...versionsOf(now)].filter(([target, version]) => was.get(target) !== version).map(([t]) => t);
}

/**
 * Plans a pending promotion in `trx` with the source setups pinned when it was requested and the targets
 * as they are now (writing them: roll back unless applying).
 */
export async function planPinned(trx: Trx, row: PromotionRow, actor: Actor, now: Date) {
  const request: PromotionRequest = {
    from: row.from_environment,
    to: row.to_environments,
    selector: { flags: row.flags },
  };
  const definitions: FlagDefinition[] = await resolveRequest(trx, request);
  const sources = new Map(Object.entries(row.source_states as Record<string, SourceSetup>));
  return planPromotion(trx, { request, definitions, sources, actor, now });
}

/** Throws {@link TargetChangedError} unless the plan is one of the previews someone accepted. */
export function assertAccepted(row: PromotionRow, preview: PromotionPreview, accepted: string[]) {
  if (accepted.includes(preview.hash)) return;
  const changed = changedTargets(row.preview as PromotionPreview, preview);
  throw new TargetChangedError(changed.length ? changed : ["a target"], preview);
}

/**
 * Applies a pending promotion whose gates just passed: the source setups pinned when it was requested go
 * to the targets, provided the plan is one of the `accepted` previews (by hash; by default the one the
 * requester saw). The gate record and the writes commit together, or neither does (and it stays pending).
 */
export async function applyPending(
  deps: Deps,
  actor: Actor,
  id: number,
  passed: {
    gate: "approval" | "soak";
    comment?: string | null;
    details?: unknown;
    /** Preview hashes that may be applied besides the requester's (an approver's newer preview). */
    accept?: string[];
    check?: (row: { requested_by_id: string; gate: PromotionGate | null }) => void;
  },
) {
  const now = deps.now();
  const to = await promotionTargets(deps.db, id);
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "promotion.apply",
      targetType: "promotion",
      targetKey: String(id),
      environment: to.length === 1 ? to[0] : null,
      environments: to,
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
      const planned = await planPinned(trx, row, actor, now);
      assertAccepted(row, planned.preview, passed.accept ?? [row.preview_hash]);
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
  const to = await promotionTargets(deps.db, id);
  await commitChange(
    deps,
    {
      actor,
      action: outcome.status === "rejected" ? "promotion.reject" : "promotion.fail",
      targetType: "promotion",
      targetKey: String(id),
      environment: to.length === 1 ? to[0] : null,
      environments: to,
      reason: outcome.comment,
      before: { promotion: id, status: "pending" },
      after: (row: PromotionRow) => ({
        promotion: id,
        status: outcome.status,
        from: row.from_environment,
        to: row.to_environments,
        flags: row.flags,
      }),
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
      return row;
    },
  );
  return { id, status: outcome.status };
}
