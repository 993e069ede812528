/**
 * @module `/api/v1/environments/{env}/flags/{flag}/schedules`: steps at set times (turn on, ramp a rollout
 * 1% → 5% → 25% → 100%, turn off), listed with their log — per flag, per environment
 * (`/environments/{env}/schedules`) or everywhere (`/schedules`), by status — and cancelled by editors. Creating and cancelling are
 * audited; each applied step is an audited `schedule.step` by `schedule #id`. In an environment that
 * requires approval, a schedule is approved as a whole (a change request), as in LaunchDarkly: once
 * approved its steps run by themselves at their times, without asking again.
 */
import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import { requestSchedule, requiresApproval } from "../change-requests/store.js";
import { ChangeRequestSchema } from "../change-requests/view.js";
import { commitChange, commitChanges } from "../changes/commit.js";
import type { AppDeps } from "../deps.js";
import { getEnvironment } from "../environments/store.js";
import { getState } from "../flags/state-store.js";
import { jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { NotFoundError } from "../problem/errors.js";
import { EnvFlagIdParam, EnvFlagParam, EnvParam, pathKey } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { createSchedule, listSchedules, SCHEDULE_FILTERS, ScheduleSchema, scheduleView } from "./store.js";

const Params = EnvFlagParam;
const status = z.enum(SCHEDULE_FILTERS).optional().openapi({
  description:
    "`pending`: waiting for its next step (the same as `active`); `paused`: held by a tripped guard or a freeze",
});
const EnvFilters = z.object({ status, flag: pathKey("flag").optional() });
const Filters = EnvFilters.extend({ environment: pathKey("environment").optional() });
const Listed = jsonResponse(z.object({ schedules: z.array(ScheduleSchema) }), "Schedules");
const IdParams = EnvFlagIdParam;
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
const tags = ["Schedules"];

/** A GET answering a list of schedules: the three lists differ only in where and by what they narrow. */
function scheduleList<P extends string, R extends RouteConfig["request"]>(
  path: P,
  summary: string,
  request: R,
) {
  return createRoute({
    method: "get",
    path,
    tags,
    summary,
    request,
    responses: { 200: Listed, ...standardProblems },
  });
}

const listRoute = scheduleList(
  "/environments/{env}/flags/{flag}/schedules",
  "A flag's scheduled changes in an environment, with their logs",
  { params: Params },
);
const envListRoute = scheduleList(
  "/environments/{env}/schedules",
  "Every scheduled change in an environment, oldest first, by status and flag",
  { params: EnvParam, query: EnvFilters },
);
const allListRoute = scheduleList(
  "/schedules",
  "Every scheduled change in every environment, oldest first, by environment, status and flag",
  { query: Filters },
);
const createRouteDef = createRoute({
  method: "post",
  path: "/environments/{env}/flags/{flag}/schedules",
  tags,
  summary:
    "Schedule steps: turn on, ramp a rollout, turn off, at set times. In an environment that requires approval the schedule is a change request (202) until another editor or admin approves it",
  request: { params: Params, body: jsonBody(CreateSchema) },
  responses: {
    201: jsonResponse(ScheduleSchema, "Scheduled"),
    202: jsonResponse(z.object({ changeRequest: ChangeRequestSchema }), "Waiting for approval"),
    ...writeProblems,
  },
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
    return c.json(
      { schedules: (await listSchedules(deps.db, { environment: env, flag })).map(scheduleView) },
      200,
    );
  });
  app.openapi(envListRoute, async (c) => {
    const { env } = c.req.valid("param");
    await getEnvironment(deps, env);
    const found = await listSchedules(deps.db, { ...c.req.valid("query"), environment: env });
    return c.json({ schedules: found.map(scheduleView) }, 200);
  });
  app.openapi(allListRoute, async (c) => {
    const found = await listSchedules(deps.db, c.req.valid("query"));
    return c.json({ schedules: found.map(scheduleView) }, 200);
  });
  app.openapi(createRouteDef, async (c) => {
    const { env, flag } = c.req.valid("param");
    const { steps } = c.req.valid("json");
    await getState(deps, env, flag);
    const actor = c.get("actor");
    if (await requiresApproval(deps.db, env)) {
      return c.json({ changeRequest: await requestSchedule(deps, actor, env, flag, steps) }, 202);
    }
    const row = await commitChanges(deps, (trx, record) =>
      createSchedule(trx, record, actor, { environment: env, flag, steps, createdBy: actor.name }),
    );
    return c.json(scheduleView(row), 201);
  });
  app.openapi(cancelRoute, async (c) => {
    const { env, flag, id } = c.req.valid("param");
    const row = (await listSchedules(deps.db, { environment: env, flag })).find((r) => r.id === id);
    if (!row) throw new NotFoundError(`No schedule ${id} for ${flag} in ${env}.`);
    await commitChange(
      deps,
      {
        actor: c.get("actor"),
        action: "schedule.cancel",
        targetType: "schedule",
        targetKey: String(id),
        environment: env,
        flag,
        before: scheduleView(row),
        after: null,
        affects: [],
      },
      (trx) => trx.updateTable("schedules").set({ status: "cancelled" }).where("id", "=", id).execute(),
    );
    return c.body(null, 204);
  });
  return app;
}
