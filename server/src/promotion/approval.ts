/**
 * @module Approving and rejecting pending promotions. Another editor or admin approves (never the
 * requester, nor through a key the requester created); anyone with the editor role rejects, saying why.
 * An approval-gated promotion applies at once on approval — unless a target is frozen (423: it stays
 * pending, approve it once the freeze ends) or a target changed since the preview (409 with the new
 * preview: the approver must see what will happen, and can approve that preview by its hash). A promotion
 * that also soaks records the approval (`promotion.approve`) and applies when its soak period passes.
 */
import type { Actor } from "../auth/actor.js";
import { roleAtLeast } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { AppDeps } from "../deps.js";
import { ConflictError, ForbiddenError, FrozenError } from "../problem/errors.js";
import { dryRun } from "./apply.js";
import { advanceGates } from "./gates.js";
import { applyPending, assertAccepted, closePending, planPinned } from "./pending.js";
import {
  findPromotion,
  lockPromotion,
  type PromotionRow,
  personBehind,
  recordedApproval,
  recordGateEvent,
} from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

export interface Approval {
  comment?: string;
  /** The hash of a newer preview the approver reviewed (after a 409 because a target changed). */
  expectedPreview?: string;
}

export async function approvePromotion(deps: Deps, actor: Actor, id: number, approval: Approval = {}) {
  if (!roleAtLeast(actor.role, "editor")) {
    throw new ForbiddenError(`Approving needs the editor or admin role; you are ${actor.role}.`);
  }
  const approver = await personBehind(deps.db, actor);
  const check = (row: Pick<PromotionRow, "requested_by_id">) => {
    if (row.requested_by_id === approver) {
      throw new ForbiddenError("You requested this promotion; another editor or admin must approve it.");
    }
  };
  const row = await findPromotion(deps.db, id);
  if (row.status !== "pending") throw new ConflictError(`Promotion ${id} is ${row.status}, not pending.`);
  if (row.gate?.type === "soak") {
    if (!row.gate.approval) {
      throw new ConflictError(`Promotion ${id} waits for a soak period, not for an approval.`);
    }
    await recordApproval(deps, actor, row, approval, check);
    // The soak period may have passed already: then it applies now rather than on the gate timer's next round.
    await advanceGates(deps, deps.now(), { only: id });
    return { id, status: (await findPromotion(deps.db, id)).status };
  }
  try {
    return await applyPending(deps, actor, id, {
      gate: "approval",
      comment: approval.comment ?? null,
      accept: approval.expectedPreview ? [row.preview_hash, approval.expectedPreview] : [row.preview_hash],
      check: (locked) => {
        if (locked.gate?.type !== "approval") {
          throw new ConflictError(`Promotion ${id} waits for a soak period, not for an approval.`);
        }
        check(locked);
      },
    });
  } catch (error) {
    if (!(error instanceof FrozenError)) throw error;
    throw new FrozenError(
      `${error.message} Promotion ${id} stays pending: approve it once the freeze ends.`,
      error.extra?.freeze as { environment: string; reason: string; until: string },
    );
  }
}

/**
 * Records the approval of a promotion that also soaks, with the preview it approves: the one requested,
 * or — when a target changed since — the newer one the approver sent back by its hash.
 */
async function recordApproval(
  deps: Deps,
  actor: Actor,
  row: PromotionRow,
  approval: Approval,
  check: (row: PromotionRow) => void,
) {
  const now = deps.now();
  const current = await dryRun(deps.db, async (trx) => (await planPinned(trx, row, actor, now)).preview);
  assertAccepted(
    row,
    current,
    approval.expectedPreview ? [row.preview_hash, approval.expectedPreview] : [row.preview_hash],
  );
  const to = row.to_environments;
  await commitChange(
    deps,
    {
      actor,
      action: "promotion.approve",
      targetType: "promotion",
      targetKey: String(row.id),
      environment: to.length === 1 ? to[0] : null,
      environments: to,
      reason: approval.comment ?? null,
      before: { promotion: row.id, status: "pending" },
      after: {
        promotion: row.id,
        status: "pending",
        from: row.from_environment,
        to,
        flags: row.flags,
        waitsFor: "soak",
      },
      affects: [],
    },
    async (trx) => {
      const locked = await lockPromotion(trx, row.id);
      if (locked.status !== "pending") {
        throw new ConflictError(`Promotion ${row.id} is ${locked.status}, not pending.`);
      }
      check(locked);
      const already = await recordedApproval(trx, row.id);
      if (already) throw new ConflictError(`Promotion ${row.id} was already approved by ${already.by}.`);
      await recordGateEvent(trx, row.id, {
        gate: "approval",
        outcome: "passed",
        actor,
        comment: approval.comment,
        details: { preview: current.hash },
        at: now,
      });
    },
  );
}

export async function rejectPromotion(deps: Deps, actor: Actor, id: number, comment: string) {
  if (!roleAtLeast(actor.role, "editor")) {
    throw new ForbiddenError(`Rejecting needs the editor or admin role; you are ${actor.role}.`);
  }
  return closePending(deps, actor, id, { status: "rejected", gate: "approval", comment });
}
