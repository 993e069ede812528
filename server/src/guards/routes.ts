/**
 * @module `/api/v1/environments/{env}/flags/{flag}/guards`: read a flag's guards with their status and
 * test state (viewers), replace them (editors; audited as `guard.update`), and re-arm tripped ones
 * (`…/guards/rearm`, editors; audited as `guard.rearm`).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { EnvFlagParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { rearmGuards } from "./rearm.js";
import { listGuards, replaceGuards } from "./store.js";

const Params = EnvFlagParam;
const Metric = z.enum(["mismatch_rate", "error_rate", "latency_p95_ratio"]);
const GuardInputSchema = z
  .object({
    metric: Metric,
    limit: z
      .number()
      .positive()
      .openapi({ description: "A rate (0.01 = 1%) or, for latency, a ratio (1.5)." }),
    action: z.enum(["kill", "stop_ramp"]),
    alpha: z.number().gt(0).max(0.2).optional().openapi({
      description: "Bound on the false-trip probability per million trials at or below the limit (0.01).",
    }),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.metric !== "latency_p95_ratio" && g.limit >= 1) {
      ctx.addIssue({ code: "custom", path: ["limit"], message: "a rate limit is below 1 (0.01 = 1%)" });
    }
    if (g.metric === "latency_p95_ratio" && g.limit <= 1) {
      ctx.addIssue({
        code: "custom",
        path: ["limit"],
        message: "a latency ratio limit is above 1 (1.5 = 50% slower)",
      });
    }
  });
const PutSchema = z
  .object({ guards: z.array(GuardInputSchema).max(3) })
  .strict()
  .superRefine((body, ctx) => {
    const metrics = body.guards.map((g) => g.metric);
    metrics.forEach((m, i) => {
      if (metrics.indexOf(m) !== i)
        ctx.addIssue({ code: "custom", path: ["guards", i, "metric"], message: "one guard per metric" });
    });
  });
const GuardSchema = z.object({
  id: z.number().int(),
  metric: Metric,
  limit: z.number(),
  action: z.enum(["kill", "stop_ramp"]),
  alpha: z.number(),
  status: z.enum(["green", "tripped"]),
  trials: z.number(),
  events: z.number(),
  llr: z
    .number()
    .openapi({ description: "The sequential test's statistic; the guard trips at `threshold`." }),
  threshold: z.number(),
  step: z.string().nullable().openapi({ description: "Dark-launch step the test's statistics are from." }),
  trippedAt: z.string().nullable(),
  trip: z.unknown(),
});
const RearmSchema = z
  .object({
    metrics: z
      .array(Metric)
      .min(1)
      .optional()
      .openapi({ description: "Only these guards (default: every tripped guard of the flag)." }),
    reason: z.string().max(1000).optional(),
  })
  .strict();
const tags = ["Guards"];

const getRoute = createRoute({
  method: "get",
  path: "/environments/{env}/flags/{flag}/guards",
  tags,
  summary: "A flag's guards in an environment, with status and sequential-test state",
  request: { params: Params },
  responses: { 200: jsonResponse(z.object({ guards: z.array(GuardSchema) }), "Guards"), ...standardProblems },
});
const putRoute = createRoute({
  method: "put",
  path: "/environments/{env}/flags/{flag}/guards",
  tags,
  summary:
    "Replace a flag's guards (unchanged guards keep their test and status — a tripped one is re-armed with …/rearm)",
  request: { params: Params, body: jsonBody(PutSchema) },
  responses: { 200: jsonResponse(z.object({ guards: z.array(GuardSchema) }), "Guards"), ...writeProblems },
});

const rearmRoute = createRoute({
  method: "post",
  path: "/environments/{env}/flags/{flag}/guards/rearm",
  tags,
  summary: "Re-arm tripped guards: they watch again, their test afresh (the flag itself is not changed)",
  request: { params: Params, body: jsonBody(RearmSchema) },
  responses: {
    200: jsonResponse(
      z.object({ rearmed: z.array(GuardSchema), guards: z.array(GuardSchema) }),
      "Re-armed, and the flag's guards after",
    ),
    ...writeProblems,
  },
});

export function guardRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/environments/:env/flags/:flag/guards", editorForWrites());
  app.use("/environments/:env/flags/:flag/guards/*", editorForWrites());
  app.openapi(getRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    return c.json({ guards: await listGuards(deps, env, flag) }, 200);
  });
  app.openapi(putRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const guards = await replaceGuards(deps, c.get("actor"), env, flag, c.req.valid("json").guards);
    return c.json({ guards }, 200);
  });
  app.openapi(rearmRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    return c.json(await rearmGuards(deps, c.get("actor"), env, flag, c.req.valid("json")), 200);
  });
  return app;
}
