/**
 * @module Shadow traffic on the server: SDKs post their statistics (`POST /sdk/v1/shadow`, server key) and
 * people read them per flag and environment, per time window (`GET /api/v1/environments/{env}/flags/{flag}/
 * shadow`). Both are in the OpenAPI document; the report is read by the SDK routes' reader (JSON or
 * text/plain, 1 MB), so its route is documented here and validated there.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { authenticate } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { getState } from "../flags/state-store.js";
import { observeShadowReport } from "../guards/observe.js";
import { jsonResponse, standardProblems } from "../openapi/route.js";
import { EnvFlagParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { type SdkEnv, sdkKey } from "../sdk/auth.js";
import { rateLimit } from "../sdk/rate-limit.js";
import { readReport } from "../sdk/routes.js";
import { sdkServicesFor } from "../sdk/services.js";
import { shadowReportSchema } from "./schemas.js";
import { summarise } from "./summary.js";

const HOUR_MS = 3_600_000;
const tags = ["Shadow traffic"];

const Latency = z.object({
  p50: z.number().nullable().openapi({ description: "ms; the upper bound of the bucket holding it" }),
  p95: z.number().nullable().openapi({ description: "ms; null with no calls or in the overflow bucket" }),
});
const WindowStatsSchema = z
  .object({
    calls: z.number().int(),
    shadowed: z.number().int(),
    matches: z.number().int(),
    mismatches: z.number().int(),
    candidateErrors: z.number().int(),
    controlErrors: z.number().int(),
    timeouts: z.number().int(),
    skipped: z.number().int(),
    mismatchRate: z.number().openapi({ description: "mismatches / (matches + mismatches)" }),
    errorRate: z.number().openapi({ description: "(candidateErrors + timeouts) / shadowed" }),
    latencyMs: z.object({ control: Latency, candidate: Latency }),
  })
  .openapi("ShadowWindowStats");
const SummarySchema = z
  .object({
    environment: z.string(),
    flag: z.string(),
    from: z.string(),
    to: z.string(),
    windowMinutes: z.number().int(),
    totals: WindowStatsSchema,
    series: z.array(WindowStatsSchema.extend({ at: z.string().openapi({ description: "window start" }) })),
    samples: z.array(z.object({ control: z.unknown(), candidate: z.unknown(), at: z.number() })),
  })
  .openapi("ShadowSummary");

const readRoute = createRoute({
  method: "get",
  path: "/api/v1/environments/{env}/flags/{flag}/shadow",
  tags,
  summary: "Shadow statistics of a flag: totals and per-window rates and latency p50/p95 of both paths",
  request: {
    params: EnvFlagParam,
    query: z.object({
      from: z.iso
        .datetime({ offset: true })
        .optional()
        .openapi({ description: "default: an hour before `to`" }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "default: now" }),
      windowMinutes: z.coerce.number().int().min(1).max(1440).default(5),
    }),
  },
  responses: {
    200: jsonResponse(SummarySchema, "Totals, one entry per window with data, samples"),
    ...standardProblems,
  },
});

const ingestRoute = createRoute({
  method: "post",
  path: "/sdk/v1/shadow",
  tags,
  summary: "An SDK's shadow statistics for a report window (server SDK key)",
  security: [{ sdkKey: [] }],
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: shadowReportSchema },
        "text/plain": { schema: z.string().openapi({ description: "the same JSON (sendBeacon)" }) },
      },
    },
  },
  responses: {
    202: { description: "Recorded; the flags' guards step on it" },
    ...standardProblems,
    413: { description: "Reports are limited to 1 MB" },
  },
});

export function shadowRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<SdkEnv & AppEnv>({ defaultHook: validationHook });
  const { shadow } = sdkServicesFor(deps);
  app.openAPIRegistry.registerComponent("securitySchemes", "sdkKey", {
    type: "http",
    scheme: "bearer",
    description: "A server SDK key: `sy_server_…`",
  });

  app.openAPIRegistry.registerPath(ingestRoute);
  app.post("/sdk/v1/shadow", sdkKey(deps, ["server"]), rateLimit(), async (c) => {
    const report = await readReport(c, shadowReportSchema);
    const environment = c.get("sdkKey").environment;
    shadow.record(environment, report.flags);
    // Guards read the same counts; off the request path, so a report is acknowledged at once.
    void observeShadowReport(deps, environment, report.flags);
    return c.body(null, 202);
  });

  app.use("/api/v1/environments/:env/flags/:flag/shadow", authenticate(deps));
  app.openapi(readRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const query = c.req.valid("query");
    await getState(deps, env, flag); // 404 for an unknown environment or flag
    const to = query.to ? new Date(query.to) : deps.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - HOUR_MS);
    const rows = await deps.db
      .selectFrom("shadow_reports")
      .selectAll()
      .where("environment_key", "=", env)
      .where("flag_key", "=", flag)
      .where("minute", ">=", from)
      .where("minute", "<=", to)
      .orderBy("minute")
      .execute();
    const summary = summarise(rows, query.windowMinutes);
    return c.json(
      {
        environment: env,
        flag,
        from: from.toISOString(),
        to: to.toISOString(),
        windowMinutes: query.windowMinutes,
        ...summary,
      },
      200,
    );
  });
  return app;
}
