/** @module Which flags are in use: hourly evaluation counts per variant and "last evaluated", per environment. */
import { Hono } from "hono";
import type { AppEnv } from "../auth/context.js";
import { authenticate } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError, ValidationError } from "../problem/errors.js";

const DAY_MS = 86_400_000;

function dateParam(raw: string | undefined, name: string, fallback: Date): Date {
  if (raw === undefined) return fallback;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw ValidationError.field(name, "must be an ISO date");
  return new Date(t);
}

export function usageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/flags/:flag/usage", authenticate(deps), async (c) => {
    const flag = c.req.param("flag");
    const exists = await deps.db.selectFrom("flags").select("key").where("key", "=", flag).executeTakeFirst();
    if (!exists) throw new NotFoundError(`Flag ${flag} not found.`);
    const to = dateParam(c.req.query("to"), "to", deps.now());
    const from = dateParam(c.req.query("from"), "from", new Date(to.getTime() - 7 * DAY_MS));
    const environment = c.req.query("environment");
    let series = deps.db
      .selectFrom("evaluation_metrics")
      .select(["environment_key", "variant", "hour", "count"])
      .where("flag_key", "=", flag)
      .where("hour", ">=", from)
      .where("hour", "<=", to);
    if (environment) series = series.where("environment_key", "=", environment);
    const rows = await series.orderBy("hour").execute();
    const last = await deps.db
      .selectFrom("flag_last_evaluated")
      .select(["environment_key", "at"])
      .where("flag_key", "=", flag)
      .execute();
    return c.json({
      flag,
      from: from.toISOString(),
      to: to.toISOString(),
      series: rows.map((r) => ({
        environment: r.environment_key,
        variant: r.variant,
        hour: new Date(r.hour).toISOString(),
        count: Number(r.count),
      })),
      lastEvaluated: Object.fromEntries(last.map((l) => [l.environment_key, new Date(l.at).toISOString()])),
    });
  });
  return app;
}
