/** @module Schedules as stored and shown, and creating one inside a change's transaction. */
import { z } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import type { Actor } from "../auth/actor.js";
import type { RecordChange, Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { Database, ScheduleStep } from "../db/schema.js";
import type { AppDeps } from "../deps.js";

export type ScheduleRow = Selectable<Database["schedules"]>;

export const ScheduleSchema = z
  .object({
    id: z.number().int(),
    environment: z.string(),
    flag: z.string(),
    steps: z.array(z.unknown()),
    nextStep: z.number().int(),
    status: z.enum(["active", "paused", "done", "cancelled", "failed"]),
    pausedReason: z.string().nullable(),
    log: z.array(z.unknown()),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi("Schedule");

export const scheduleView = (r: ScheduleRow) => ({
  id: r.id,
  environment: r.environment_key,
  flag: r.flag_key,
  steps: r.steps,
  nextStep: r.next_step,
  status: r.status,
  pausedReason: r.paused_reason,
  log: r.log,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});

/** What a schedule list can be narrowed to. `pending` is `active`: waiting for its next step. */
export const SCHEDULE_FILTERS = ["pending", "active", "paused", "done", "cancelled", "failed"] as const;

export interface ScheduleFilter {
  environment?: string;
  flag?: string;
  status?: (typeof SCHEDULE_FILTERS)[number];
}

/** The most one list answers: schedules are few, but a list stays bounded. */
const LIST_LIMIT = 500;

/** Schedules, oldest first, narrowed by environment, flag and status. */
export function listSchedules(db: AppDeps["db"], filter: ScheduleFilter) {
  let query = db.selectFrom("schedules").selectAll().orderBy("id").limit(LIST_LIMIT);
  if (filter.environment) query = query.where("environment_key", "=", filter.environment);
  if (filter.flag) query = query.where("flag_key", "=", filter.flag);
  if (filter.status)
    query = query.where("status", "=", filter.status === "pending" ? "active" : filter.status);
  return query.execute();
}

export function describeStep(step: ScheduleStep): string {
  return step.action === "rollout" ? `rollout ${step.percentage}%` : `turn ${step.action}`;
}

export interface NewSchedule {
  environment: string;
  flag: string;
  steps: ScheduleStep[];
  /** Who asked for it: the actor, or the requester when an approval creates it. */
  createdBy: string;
  reason?: string;
}

/** Inserts a schedule and records its `schedule.create` entry in the same transaction. */
export async function createSchedule(trx: Trx, record: RecordChange, actor: Actor, input: NewSchedule) {
  const row = await trx
    .insertInto("schedules")
    .values({
      environment_key: input.environment,
      flag_key: input.flag,
      steps: jsonb(input.steps),
      created_by: input.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const steps = input.steps.map((s) => `${s.at} ${describeStep(s)}`).join(", ");
  await record(
    {
      actor,
      action: "schedule.create",
      targetType: "schedule",
      targetKey: String(row.id),
      environment: input.environment,
      flag: input.flag,
      reason: input.reason ? `${input.reason}: ${steps}` : steps,
      before: null,
      after: scheduleView(row),
      affects: [],
    },
    row,
  );
  return row;
}
