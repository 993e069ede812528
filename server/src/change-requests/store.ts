/**
 * @module Change requests for environments that require approval: a flag-state edit — or a schedule —
 * becomes a request that another editor or admin approves or rejects (`decide.ts`), with comments. The
 * requester cannot approve their own. Kills do not come here. Filing the same change again (same requester,
 * flag, base version and changes) while the first is pending answers with that request: no duplicate.
 */
import { sql } from "kysely";
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { BaseVersion } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { ScheduleStep } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { getState, updateState } from "../flags/state-store.js";
import type { StateFields } from "../flags/validate-state.js";
import { ConflictError } from "../problem/errors.js";
import { describeChanges } from "../promotion/describe-changes.js";
import { canonicalJson, setupOf } from "../promotion/setup.js";
import { personBehind } from "../promotion/store.js";
import { describeStep } from "../schedules/store.js";
import { type ChangeRequestRow, findRequest, lockRequest, requestView } from "./view.js";

type Deps = Omit<AppDeps, "rulesets">;

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
  const before = setupOf(current);
  const described = describeChanges(before, { ...before, ...changes });
  const row = await fileRequest(deps, actor, { environment, flag, changes, baseVersion, reason, described });
  return { kind: "requested" as const, changeRequest: requestView(row) };
}

/** A schedule in an environment that requires approval: once approved, its steps run by themselves. */
export async function requestSchedule(
  deps: Deps,
  actor: Actor,
  environment: string,
  flag: string,
  steps: ScheduleStep[],
) {
  const current = await getState(deps, environment, flag);
  const row = await fileRequest(deps, actor, {
    environment,
    flag,
    changes: { schedule: steps },
    baseVersion: current.version,
    described: steps.map((s) => `${describeStep(s)} at ${s.at}`),
  });
  return requestView(row);
}

async function fileRequest(
  deps: Deps,
  actor: Actor,
  request: {
    environment: string;
    flag: string;
    changes: Record<string, unknown>;
    baseVersion: number;
    reason?: string;
    /** What it would change, as the changelog and notifications say it. */
    described: string[];
  },
): Promise<ChangeRequestRow> {
  const requester = await personBehind(deps.db, actor);
  const open = await openDuplicate(deps.db, requester, request);
  if (open) return open;
  // Drawn before the transaction so the audit entry can name the request it creates.
  const { rows } = await sql<{ id: string | number }>`select nextval('change_requests_id_seq') as id`.execute(
    deps.db,
  );
  const id = Number(rows[0]?.id);
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "change-request.create",
      targetType: "change_request",
      targetKey: String(id),
      environment: request.environment,
      flag: request.flag,
      reason: request.reason ?? null,
      before: null,
      after: (r: ChangeRequestRow) => ({ ...requestView(r), described: request.described }),
      affects: [],
    },
    (trx) =>
      trx
        .insertInto("change_requests")
        .values({
          id,
          environment_key: request.environment,
          flag_key: request.flag,
          changes: jsonb(request.changes),
          base_version: request.baseVersion,
          reason: request.reason ?? null,
          requested_by: actor.name,
          requested_by_id: requester,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
  );
  return result;
}

/**
 * The requester's pending request for exactly this change on the same version, if there is one: re-running
 * an import (or a pipeline's retry) reports that request instead of filing a duplicate for each run.
 */
async function openDuplicate(
  db: Deps["db"],
  requester: string,
  request: { environment: string; flag: string; changes: Record<string, unknown>; baseVersion: number },
): Promise<ChangeRequestRow | undefined> {
  const open = await db
    .selectFrom("change_requests")
    .selectAll()
    .where("status", "=", "pending")
    .where("environment_key", "=", request.environment)
    .where("flag_key", "=", request.flag)
    .where("base_version", "=", request.baseVersion)
    .where("requested_by_id", "=", requester)
    .orderBy("id")
    .execute();
  const wanted = canonicalJson(request.changes);
  return open.find((row) => canonicalJson(row.changes) === wanted);
}

/** A comment, audited like every change (`change-request.comment`), so watchers hear of it. */
export async function commentOnRequest(deps: Deps, actor: Actor, id: number, text: string) {
  const { environment_key, flag_key } = await findRequest(deps.db, id);
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "change-request.comment",
      targetType: "change_request",
      targetKey: String(id),
      environment: environment_key,
      flag: flag_key,
      reason: text,
      before: null,
      after: (r: ChangeRequestRow) => requestView(r),
      affects: [],
    },
    async (trx) => {
      const row = await lockRequest(trx, id);
      const comments = [...row.comments, { by: actor.name, at: deps.now().toISOString(), text }];
      return trx
        .updateTable("change_requests")
        .set({ comments: jsonb(comments) })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  );
  return requestView(result);
}
