/**
 * @module A change request as stored and shown. A request is for a flag-state edit (`changes` holds the
 * fields to change) or for a schedule (`changes` is `{ schedule: steps }`): see {@link requestKind}.
 */
import { z } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import type { Trx } from "../changes/commit.js";
import type { Database, ScheduleStep } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import type { StateFields } from "../flags/validate-state.js";
import { NotFoundError } from "../problem/errors.js";

export type ChangeRequestRow = Selectable<Database["change_requests"]>;

export const ChangeRequestSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(["state", "schedule"]).openapi({
      description:
        "`state`: an edit of the flag's state. `schedule`: steps at set times (`changes.schedule`).",
    }),
    environment: z.string(),
    flag: z.string(),
    changes: z.record(z.string(), z.unknown()),
    baseVersion: z.number().int(),
    reason: z.string().nullable(),
    status: z.enum(["pending", "applied", "rejected", "conflicted"]),
    requestedBy: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    comments: z.array(z.object({ by: z.string(), at: z.string(), text: z.string() })),
    createdAt: z.string(),
  })
  .openapi("ChangeRequest");

export type RequestedChange =
  | { kind: "state"; changes: Partial<StateFields> }
  | { kind: "schedule"; steps: ScheduleStep[] };

/** What a request asks for: a schedule is stored as `{ schedule: steps }`, anything else is a state edit. */
export function requestKind(row: Pick<ChangeRequestRow, "changes">): RequestedChange {
  const changes = row.changes as Record<string, unknown>;
  return Array.isArray(changes.schedule)
    ? { kind: "schedule", steps: changes.schedule as ScheduleStep[] }
    : { kind: "state", changes: changes as Partial<StateFields> };
}

export const requestView = (r: ChangeRequestRow) => ({
  id: r.id,
  kind: requestKind(r).kind,
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

export async function findRequest(db: AppDeps["db"], id: number): Promise<ChangeRequestRow> {
  const row = await db.selectFrom("change_requests").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No change request ${id}.`);
  return row;
}

/** The request, locked until the transaction ends: two decisions at once are taken one after the other. */
export async function lockRequest(trx: Trx, id: number): Promise<ChangeRequestRow> {
  const row = await trx
    .selectFrom("change_requests")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No change request ${id}.`);
  return row;
}
