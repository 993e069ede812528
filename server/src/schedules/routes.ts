/**
 * @module `/api/v1/environments/{env}/flags/{flag}/schedules`: steps at set times (turn on, ramp a rollout
 * 1% → 5% → 25% → 100%, turn off), listed with their log, cancelled by editors. Creating and cancelling are
 * audited; each applied step is an audited state change by `schedule #id`.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import { commitChange } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { AppDeps } from "../deps.js";
import { getState } from "../flags/state-store.js";
import { jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { NotFoundError } from "../problem/errors.js";
import { validationHook } from "../problem/zod.js";
import { describeStep } from "./run.js";

const Params = z.object({ env: z.string().min(1), flag: z.string().min(1) });
const IdParams = Params.extend({ id: z.coerce.number().int().positive() });
const at = z.iso.datetime({ offset: true, error: "must be an ISO date-time such as 2026-12-01T09:00:00Z" });
const StepSchema = z.discriminatedUnion("action", [
  z.object({ at, action: z.literal("on") }).strict(),
  z.object({ at, action: z.literal("off") }).strict(),
  z.object({ at, action: z.literal("rollout"), percentage: z.number().gt(0).max(100) }).strict(),
]);
const CreateSchema = z
  .object({ steps: z.array(StepSchema).min(1).max(20) })
  .strict()
  .superRefine((body, ctx) => {
    body.steps.forEach((s, i) => {
      const prev = body.steps[i - 1];
      if (prev && Date.parse(s.at) < Date.parse(prev.at)) {
        ctx.addIssue({ code: "custom", path: ["steps", i, "at"], message: "steps must be in time order" });
      }
    });
  });
const ScheduleSchema = z.object({
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
});
const tags = ["Schedules"];

type Row = Awaited<ReturnType<typeof listRows>>[number];
const view = (r: Row) => ({
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
function listRows(db: AppDeps["db"], env: string, flag: string) {
  return db
    .selectFrom("schedules")
    .selectAll()
    .where("environment_key", "=", env)
    .where("flag_key", "=", flag)
    .orderBy("id")
    .execute();
}

const listRoute = createRoute({
  method: "get",
  path: "/environments/{env}/flags/{flag}/schedules",
  tags,
  summary: "A flag's scheduled changes in an environment, with their logs",
  request: { params: Params },
  responses: {
    200: jsonResponse(z.object({ schedules: z.array(ScheduleSchema) }), "Schedules"),
    ...standardProblems,
  },
});
const createRouteDef = createRoute({
  method: "post",
  path: "/environments/{env}/flags/{flag}/schedules",
  tags,
  summary: "Schedule steps: turn on, ramp a rollout, turn off, at set times",
  request: { params: Params, body: jsonBody(CreateSchema) },
  responses: { 201: jsonResponse(ScheduleSchema, "Scheduled"), ...writeProblems },
});
const cancelRoute = createRoute({
  method: "delete",
  path: "/environments/{env}/flags/{flag}/schedules/{id}",
  tags,
  summary: "Cancel a schedule (steps already applied stay)",
  request: { params: IdParams },
  responses: { 204: { description: "Cancelled" }, ...writeProblems },
});

export function scheduleRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/environments/:env/flags/:flag/schedules", editorForWrites());
  app.use("/environments/:env/flags/:flag/schedules/*", editorForWrites());

  app.openapi(listRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    await getState(deps, env, flag);
    return c.json({ schedules: (await listRows(deps.db, env, flag)).map(view) }, 200);
  });
  app.openapi(createRouteDef, async (c) => {
    const { env, flag } = c.req.valid("param");
    const { steps } = c.req.valid("json");
    await getState(deps, env, flag);
    const actor = c.get("actor");
    const { result } = await commitChange(
      deps,
      {
        actor,
        action: "schedule.create",
        targetType: "schedule",
        targetKey: flag,
        environment: env,
        flag,
        reason: steps.map((s) => `${s.at} ${describeStep(s)}`).join(", "),
        before: null,
        after: (r: Row) => view(r),
        affects: [],
      },
      (trx) =>
        trx
          .insertInto("schedules")
          .values({ environment_key: env, flag_key: flag, steps: jsonb(steps), created_by: actor.name })
          .returningAll()
          .executeTakeFirstOrThrow(),
    );
    return c.json(view(result), 201);
  });
  app.openapi(cancelRoute, async (c) => {
    const { env, flag, id } = c.req.valid("param");
    const row = (await listRows(deps.db, env, flag)).find((r) => r.id === id);
    if (!row) throw new NotFoundError(`No schedule ${id} for ${flag} in ${env}.`);
    await commitChange(
      deps,
      {
        actor: c.get("actor"),
        action: "schedule.cancel",
        targetType: "schedule",
        targetKey: flag,
        environment: env,
        flag,
        before: view(row),
        after: null,
        affects: [],
      },
      (trx) => trx.updateTable("schedules").set({ status: "cancelled" }).where("id", "=", id).execute(),
    );
    return c.body(null, 204);
  });
  return app;
}
