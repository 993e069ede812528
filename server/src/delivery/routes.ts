/**
 * @module "Has my kill reached everyone?" — for a ruleset version, how many live SDK instances have
 * applied it, how fast (from the commit to each acknowledgement, both on the server's clock), and which
 * have not. Live: seen on a stream or in a report within the last {@link LIVE_WINDOW_MS}.
 */
import { Hono } from "hono";
import type { AppEnv } from "../auth/context.js";
import { authenticate } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError, ValidationError } from "../problem/errors.js";
import { EnvParam, pathParams } from "../problem/params.js";

export const LIVE_WINDOW_MS = 60_000;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function deliveryStatus(deps: AppDeps, environment: string, version?: number) {
  const env = await deps.db
    .selectFrom("environments")
    .select(["key", "ruleset_version"])
    .where("key", "=", environment)
    .executeTakeFirst();
  if (!env) throw new NotFoundError(`Environment ${environment} not found.`);
  const target = version ?? env.ruleset_version;
  const change = await deps.db
    .selectFrom("ruleset_changes")
    .select(["committed_at"])
    .where("environment_key", "=", environment)
    .where("version", "=", target)
    .executeTakeFirst();
  const since = new Date(deps.now().getTime() - LIVE_WINDOW_MS);
  const instances = await deps.db
    .selectFrom("sdk_instances")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("last_seen_at", ">=", since)
    .orderBy("instance_id")
    .execute();
  const acknowledged = instances.filter((i) => i.version !== null && i.version >= target);
  const committed = change ? new Date(change.committed_at).getTime() : undefined;
  const latencies = acknowledged
    .filter((i) => i.version === target && i.acked_at && committed !== undefined)
    .map((i) => Math.max(0, new Date(i.acked_at as Date).getTime() - (committed as number)))
    .sort((a, b) => a - b);
  return {
    environment,
    version: target,
    committedAt: change ? new Date(change.committed_at).toISOString() : null,
    instances: {
      total: instances.length,
      acknowledged: acknowledged.length,
      pending: instances
        .filter((i) => i.version === null || i.version < target)
        .map((i) => ({
          instanceId: i.instance_id,
          sdk: i.sdk,
          version: i.version,
          lastSeenAt: new Date(i.last_seen_at).toISOString(),
        })),
    },
    latencyMs: latencies.length
      ? {
          median: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          max: latencies[latencies.length - 1] as number,
        }
      : null,
  };
}

export function deliveryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/environments/:env/delivery", authenticate(deps), async (c) => {
    const raw = c.req.query("version");
    if (raw !== undefined && !/^\d+$/.test(raw))
      throw ValidationError.field("version", "must be a whole number");
    const { env } = pathParams(c, EnvParam);
    return c.json(await deliveryStatus(deps, env, raw === undefined ? undefined : Number(raw)));
  });
  return app;
}
