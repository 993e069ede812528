/**
 * @module Shadow traffic on the server: SDKs post their statistics (`POST /sdk/v1/shadow`, server key) and
 * people read them per flag and environment (`GET /api/v1/environments/{env}/flags/{flag}/shadow`).
 */
import { Hono } from "hono";
import type { AppEnv } from "../auth/context.js";
import { authenticate } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { observeShadowReport } from "../guards/observe.js";
import { ValidationError } from "../problem/errors.js";
import { type SdkEnv, sdkKey } from "../sdk/auth.js";
import { rateLimit } from "../sdk/rate-limit.js";
import { readReport } from "../sdk/routes.js";
import { sdkServicesFor } from "../sdk/services.js";
import { shadowReportSchema } from "./schemas.js";
import { summarise } from "./summary.js";

const HOUR_MS = 3_600_000;

function timeParam(raw: string | undefined, name: string, fallback: Date): Date {
  if (raw === undefined) return fallback;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw ValidationError.field(name, "must be an ISO date");
  return new Date(t);
}

export function shadowRoutes(deps: AppDeps) {
  const app = new Hono<SdkEnv & AppEnv>();
  const { shadow } = sdkServicesFor(deps);

  app.post("/sdk/v1/shadow", sdkKey(deps, ["server"]), rateLimit(), async (c) => {
    const report = await readReport(c, shadowReportSchema);
    const environment = c.get("sdkKey").environment;
    shadow.record(environment, report.flags);
    // Guards read the same counts; off the request path, so a report is acknowledged at once.
    void observeShadowReport(deps, environment, report.flags);
    return c.body(null, 202);
  });

  app.get("/api/v1/environments/:env/flags/:flag/shadow", authenticate(deps), async (c) => {
    const to = timeParam(c.req.query("to"), "to", deps.now());
    const from = timeParam(c.req.query("from"), "from", new Date(to.getTime() - HOUR_MS));
    const rawWindow = c.req.query("windowMinutes") ?? "5";
    if (!/^\d+$/.test(rawWindow) || Number(rawWindow) < 1 || Number(rawWindow) > 1440) {
      throw ValidationError.field("windowMinutes", "must be a whole number of minutes from 1 to 1440");
    }
    const rows = await deps.db
      .selectFrom("shadow_reports")
      .selectAll()
      .where("environment_key", "=", c.req.param("env"))
      .where("flag_key", "=", c.req.param("flag"))
      .where("minute", ">=", from)
      .where("minute", "<=", to)
      .orderBy("minute")
      .execute();
    return c.json({
      environment: c.req.param("env"),
      flag: c.req.param("flag"),
      from: from.toISOString(),
      to: to.toISOString(),
      ...summarise(rows, Number(rawWindow)),
    });
  });
  return app;
}
