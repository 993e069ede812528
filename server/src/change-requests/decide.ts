/**
 * @module Deciding a change request, in ONE transaction that holds the request's row lock: two approvals at
 * once are taken one after the other, so a request is decided once. Approving applies what was asked —
 * the state edit, with the version it was based on (`flag_state.update`), or the schedule
 * (`schedule.create`) — and records the decision (`change-request.approve`) with it, or neither happens.
 * A request whose base version was overtaken is marked `conflicted`, never applied over the newer state.
 */
import type { Actor } from "../auth/actor.js";
import { roleAtLeast } from "../auth/actor.js";
import { commitChanges, type RecordChange, type Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { AppDeps } from "../deps.js";
import { lockState, stateView, writeState } from "../flags/state-store.js";
import { type StateFields, validateState } from "../flags/validate-state.js";
import { ConflictError, ForbiddenError } from "../problem/errors.js";
import { setupOf } from "../promotion/setup.js";
import { personBehind } from "../promotion/store.js";
import { createSchedule } from "../schedules/store.js";
import { type ChangeRequestRow, lockRequest, requestKind, requestView } from "./view.js";

type Deps = Omit<AppDeps, "rulesets">;
type Status = "applied" | "rejected" | "conflicted";
const DECISION_ACTIONS: Record<Status, string> = {
  applied: "change-request.approve",
  rejected: "change-request.reject",
  conflicted: "change-request.conflict",
};

/** Thrown inside the approval to roll it back: the request was based on a version that is gone. */
class Overtaken extends Error {}

export async function approveRequest(deps: Deps, actor: Actor, id: number, comment?: string) {
  assertDecider(actor);
  const approver = await personBehind(deps.db, actor);
  try {
    return await decide(deps, actor, id, comment, async (trx, record, row) => {
      if (row.requested_by_id === approver) {
        throw new ForbiddenError("You requested this change; another editor or admin must approve it.");
      }
      return { status: "applied", applied: await applyRequested(deps, trx, record, actor, row) };
    });
  } catch (error) {
    if (!(error instanceof Overtaken)) throw error;
    // Versions only grow, so the base stays overtaken: record that, as a decision of its own.
    return decide(deps, actor, id, comment, async () => ({ status: "conflicted", applied: null }));
  }
}

export async function rejectRequest(deps: Deps, actor: Actor, id: number, comment?: string) {
  assertDecider(actor);
  return decide(deps, actor, id, comment, async () => ({ status: "rejected", applied: null }));
}

function assertDecider(actor: Actor) {
  if (!roleAtLeast(actor.role, "editor")) {
    throw new ForbiddenError(
      `Deciding a change request needs the editor or admin role; you are ${actor.role}.`,
    );
  }
}

/** Locks the pending request, lets `verdict` act, then records the decision, all in one transaction. */
async function decide(
  deps: Deps,
  actor: Actor,
  id: number,
  comment: string | undefined,
  verdict: (
    trx: Trx,
    record: RecordChange,
    row: ChangeRequestRow,
  ) => Promise<{ status: Status; applied: unknown }>,
) {
  return commitChanges(deps, async (trx, record) => {
    const row = await lockRequest(trx, id);
    if (row.status !== "pending") throw new ConflictError(`Change request ${id} is already ${row.status}.`);
    const { status, applied } = await verdict(trx, record, row);
    const comments = comment
      ? [...row.comments, { by: actor.name, at: deps.now().toISOString(), text: comment }]
      : row.comments;
    const updated = await trx
      .updateTable("change_requests")
      .set({ status, decided_by: actor.name, decided_at: deps.now(), comments: jsonb(comments) })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(
      {
        actor,
        action: DECISION_ACTIONS[status],
        targetType: "change_request",
        targetKey: String(id),
        environment: row.environment_key,
        flag: row.flag_key,
        reason: comment ?? null,
        before: requestView(row),
        after: requestView(updated),
        affects: [],
      },
      updated,
    );
    return { changeRequest: requestView(updated), applied };
  });
}

/** Applies what the request asks for, in the decision's transaction. */
async function applyRequested(
  deps: Deps,
  trx: Trx,
  record: RecordChange,
  actor: Actor,
  row: ChangeRequestRow,
) {
  const why = `Change request #${row.id} by ${row.requested_by}, approved by ${actor.name}${row.reason ? `: ${row.reason}` : ""}`;
  const requested = requestKind(row);
  if (requested.kind === "schedule") {
    const schedule = await createSchedule(trx, record, actor, {
      environment: row.environment_key,
      flag: row.flag_key,
      steps: requested.steps,
      createdBy: row.requested_by,
      reason: why,
    });
    return { schedule: schedule.id };
  }
  const before = await lockState(trx, row.environment_key, row.flag_key);
  if (before.version !== row.base_version) throw new Overtaken();
  const next: StateFields = { ...setupOf(stateView(before)), ...requested.changes };
  const definition = await trx
    .selectFrom("flags")
    .select(["key", "kind", "variations", "salt"])
    .where("key", "=", row.flag_key)
    .executeTakeFirstOrThrow();
  await validateState(trx, row.environment_key, definition, next);
  const after = await writeState(trx, before, next, actor, deps.now());
  const { rulesetVersions } = await record(
    {
      actor,
      action: "flag_state.update",
      targetType: "flag_state",
      targetKey: row.flag_key,
      environment: row.environment_key,
      flag: row.flag_key,
      reason: why,
      before: stateView(before),
      after: stateView(after),
      affects: [{ environment: row.environment_key, flags: [row.flag_key] }],
    },
    after,
  );
  return { state: stateView(after), version: after.version, rulesetVersions };
}
