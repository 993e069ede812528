/**
 * @module Change requests for environments that require approval: a flag-state edit becomes a request
 * that another editor or admin approves (applied then, through the ordinary write with the version it was
 * based on) or rejects, with comments. The requester cannot approve their own. Kills do not come here.
 */
import type { Actor } from "../auth/actor.js";
import { roleAtLeast } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { BaseVersion } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { AppDeps } from "../deps.js";
import { getState, updateState } from "../flags/state-store.js";
import type { StateFields } from "../flags/validate-state.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../problem/errors.js";
import { personBehind } from "../promotion/store.js";

type Deps = Omit<AppDeps, "rulesets">;
type Row = Awaited<ReturnType<typeof findRequest>>;

export const requestView = (r: Row) => ({
  id: r.id,
  environment: r.environment_key,
  flag: r.flag_key,
  changes: r.changes,
  baseVersion: r.base_version,
  reason: r.reason,
  status: r.status,
  requestedBy: r.requested_by,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  comments: r.comments,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function findRequest(db: AppDeps["db"], id: number) {
  const row = await db.selectFrom("change_requests").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No change request ${id}.`);
  return row;
}

export async function requiresApproval(db: AppDeps["db"], environment: string): Promise<boolean> {
  const env = await db
    .selectFrom("environments")
    .select("requires_approval")
    .where("key", "=", environment)
    .executeTakeFirst();
  return env?.requires_approval === true;
}

/**
 * The state write of the flag routes: applied at once, or — in an environment that requires approval —
 * filed as a change request (`{ changeRequest }`), which the route answers with 202.
 */
export async function submitStateChange(
  deps: Deps,
  actor: Actor,
  environment: string,
  flag: string,
  base: BaseVersion,
  changes: Partial<StateFields>,
  reason?: string,
) {
  if (!(await requiresApproval(deps.db, environment))) {
    return {
      kind: "applied" as const,
      applied: await updateState(deps, actor, environment, flag, base, changes, reason),
    };
  }
  const current = await getState(deps, environment, flag);
  const baseVersion = typeof base === "number" ? base : current.version;
  if (baseVersion !== current.version) {
    throw new ConflictError(
      `This was changed since version ${baseVersion}; the current version is ${current.version}.`,
      current,
    );
  }
  const requester = await personBehind(deps.db, actor);
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "change-request.create",
      targetType: "change_request",
      targetKey: flag,
      environment,
      flag,
      reason: reason ?? null,
      before: null,
      after: (r: Row) => requestView(r),
      affects: [],
    },
    (trx) =>
      trx
        .insertInto("change_requests")
        .values({
          environment_key: environment,
          flag_key: flag,
          changes: jsonb(changes),
          base_version: baseVersion,
          reason: reason ?? null,
          requested_by: actor.name,
          requested_by_id: requester,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
  );
  return { kind: "requested" as const, changeRequest: requestView(result) };
}

async function decide(deps: Deps, actor: Actor, id: number, verdict: "approve" | "reject", comment?: string) {
  if (!roleAtLeast(actor.role, "editor")) {
    throw new ForbiddenError(
      `Deciding a change request needs the editor or admin role; you are ${actor.role}.`,
    );
  }
  const row = await findRequest(deps.db, id);
  if (row.status !== "pending") throw new ConflictError(`Change request ${id} is already ${row.status}.`);
  if (verdict === "approve" && (await personBehind(deps.db, actor)) === row.requested_by_id) {
    throw new ForbiddenError("You requested this change; another editor or admin must approve it.");
  }
  const comments = comment
    ? [...row.comments, { by: actor.name, at: deps.now().toISOString(), text: comment }]
    : row.comments;
  let status: "applied" | "rejected" | "conflicted" = verdict === "approve" ? "applied" : "rejected";
  let applied: unknown = null;
  if (verdict === "approve") {
    try {
      const why = `Change request #${id} by ${row.requested_by}, approved by ${actor.name}${row.reason ? `: ${row.reason}` : ""}`;
      applied = await updateState(
        deps,
        actor,
        row.environment_key,
        row.flag_key,
        row.base_version,
        row.changes as Partial<StateFields>,
        why,
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      status = "conflicted";
    }
  }
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: `change-request.${status === "applied" ? "approve" : status === "rejected" ? "reject" : "conflict"}`,
      targetType: "change_request",
      targetKey: row.flag_key,
      environment: row.environment_key,
      flag: row.flag_key,
      reason: comment ?? null,
      before: requestView(row),
      after: (r: Row) => requestView(r),
      affects: [],
    },
    (trx) =>
      trx
        .updateTable("change_requests")
        .set({ status, decided_by: actor.name, decided_at: deps.now(), comments: jsonb(comments) })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow(),
  );
  return { changeRequest: requestView(result), applied };
}

export const approveRequest = (deps: Deps, actor: Actor, id: number, comment?: string) =>
  decide(deps, actor, id, "approve", comment);
export const rejectRequest = (deps: Deps, actor: Actor, id: number, comment?: string) =>
  decide(deps, actor, id, "reject", comment);

export async function commentOnRequest(deps: Deps, actor: Actor, id: number, text: string) {
  const row = await findRequest(deps.db, id);
  const comments = [...row.comments, { by: actor.name, at: deps.now().toISOString(), text }];
  const updated = await deps.db
    .updateTable("change_requests")
    .set({ comments: jsonb(comments) })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return requestView(updated);
}
