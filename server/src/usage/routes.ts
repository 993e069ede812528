/**
 * @module Which flags are in use: hourly evaluation counts per variant and "last evaluated", per environment
 * (`/api/v1/flags/{flag}/usage`), and the overview of every flag with its stale verdict (`/api/v1/usage`).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../auth/context.js";
import { authenticate } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError, ValidationError } from "../problem/errors.js";
import { FlagParam, pathKey, pathParams } from "../problem/params.js";
import { parseOrThrow } from "../problem/zod.js";
import { type StaleInputFlag, staleVerdict } from "./stale.js";

const EnvQuery = z.object({ environment: pathKey("environment").optional() });

const DAY_MS = 86_400_000;

function dateParam(raw: string | undefined, name: string, fallback: Date): Date {
  if (raw === undefined) return fallback;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw ValidationError.field(name, "must be an ISO date");
  return new Date(t);
}

function staleDaysParam(raw: string | undefined): number {
  if (raw === undefined) return 30;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1) {
    throw ValidationError.field("staleAfterDays", "must be a whole number of days from 1 to 9999");
  }
  return Number(raw);
}

/** `Map.groupBy`, which Node 20 lacks. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Every flag: evaluations in the last 7 days per environment, last evaluated, and whether it is stale. */
async function usageOverview(deps: AppDeps, staleAfterDays: number) {
  const now = deps.now();
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const [flags, states, last, counts] = await Promise.all([
    deps.db
      .selectFrom("flags")
      .select(["key", "temporary", "created_at"])
      .where("archived_at", "is", null)
      .orderBy("key")
      .execute(),
    deps.db.selectFrom("flag_states").selectAll().execute(),
    deps.db.selectFrom("flag_last_evaluated").select(["flag_key", "environment_key", "at"]).execute(),
    deps.db
      .selectFrom("evaluation_metrics")
      .select(["flag_key", "environment_key", (eb) => eb.fn.sum<string>("count").as("total")])
      .where("hour", ">=", weekAgo)
      .groupBy(["flag_key", "environment_key"])
      .execute(),
  ]);
  const lastOf = new Map(last.map((l) => [`${l.flag_key}\u0000${l.environment_key}`, new Date(l.at)]));
  const statesOf = groupBy(states, (s) => s.flag_key);
  const countsOf = groupBy(counts, (c) => c.flag_key);
  return flags.map((flag) => {
    const input: StaleInputFlag = {
      key: flag.key,
      temporary: flag.temporary,
      createdAt: new Date(flag.created_at),
      environments: (statesOf.get(flag.key) ?? []).map((s) => ({
        environment: s.environment_key,
        on: s.on,
        offVariation: s.off_variation,
        hasTargets: s.targets.some((t) => t.values.length > 0),
        hasRules: s.rules.length > 0,
        fallthrough: s.fallthrough,
        updatedAt: new Date(s.updated_at),
        lastEvaluated: lastOf.get(`${flag.key}\u0000${s.environment_key}`) ?? null,
      })),
    };
    return {
      flag: flag.key,
      temporary: flag.temporary,
      evaluationsLast7Days: Object.fromEntries(
        (countsOf.get(flag.key) ?? []).map((c) => [c.environment_key, Number(c.total)]),
      ),
      ...staleVerdict(input, now, staleAfterDays),
    };
  });
}

export function usageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/usage", authenticate(deps), async (c) => {
    const staleAfterDays = staleDaysParam(c.req.query("staleAfterDays"));
    return c.json({ staleAfterDays, flags: await usageOverview(deps, staleAfterDays) });
  });
  app.get("/api/v1/flags/:flag/usage", authenticate(deps), async (c) => {
    const { flag } = pathParams(c, FlagParam);
    const exists = await deps.db.selectFrom("flags").select("key").where("key", "=", flag).executeTakeFirst();
    if (!exists) throw new NotFoundError(`Flag ${flag} not found.`);
    const to = dateParam(c.req.query("to"), "to", deps.now());
    const from = dateParam(c.req.query("from"), "from", new Date(to.getTime() - 7 * DAY_MS));
    const environment = parseOrThrow(EnvQuery, c.req.query(), "query").environment;
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
