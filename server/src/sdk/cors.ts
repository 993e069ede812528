/**
 * @module CORS for client endpoints, with the allowed origins configured per environment. The environment
 * is known only once the key is resolved, so preflights (which carry no key) are answered permissively
 * for the methods and headers we accept, and the actual response carries `Access-Control-Allow-Origin`
 * only for an allowed origin — a browser on another origin then cannot read it.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps.js";
import type { SdkEnv } from "./auth.js";

const ALLOWED_HEADERS =
  "Authorization, X-API-Key, Content-Type, If-None-Match, Last-Event-ID, X-Switchyard-Instance, X-Switchyard-SDK";

/** Answers a preflight request (an `OPTIONS` route, so other requests pay nothing for it). */
export function preflight(c: Context): Response {
  const origin = c.req.header("origin");
  return new Response(null, {
    status: 204,
    headers: {
      ...(origin ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {}),
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": ALLOWED_HEADERS,
      "Access-Control-Max-Age": "600",
    },
  });
}

/** Origins per environment, read once and refreshed when environments change. */
function originsCache(deps: AppDeps) {
  let cache: Map<string, string[]> | undefined;
  deps.bus.subscribe((event) => {
    if (event.type === "environments") cache = undefined;
  });
  return async (environment: string): Promise<string[]> => {
    if (!cache) {
      const rows = await deps.db.selectFrom("environments").select(["key", "cors_origins"]).execute();
      cache = new Map(rows.map((r) => [r.key, r.cors_origins]));
    }
    return cache.get(environment) ?? [];
  };
}

/**
 * Adds CORS headers for allowed origins of the key's environment. Mounted before authentication and
 * rate limiting, so their 401/403/429 problems are readable too (else the browser SDK sees only a
 * network error). Without a resolved key there is no environment to ask: a refusal carries no data,
 * so it is shown to any origin; successful answers only ever reach the environment's origins.
 */
export function cors(deps: AppDeps): MiddlewareHandler<SdkEnv> {
  const origins = originsCache(deps);
  return async (c, next) => {
    await next();
    const origin = c.req.header("origin");
    if (!origin) return;
    const key = c.get("sdkKey") as SdkEnv["Variables"]["sdkKey"] | undefined;
    const allowed = key ? await origins(key.environment) : c.res.ok ? [] : ["*"];
    if (allowed.includes("*") || allowed.includes(origin)) {
      c.res.headers.set("Access-Control-Allow-Origin", origin);
      c.res.headers.set("Access-Control-Expose-Headers", "ETag, Retry-After");
      c.res.headers.append("Vary", "Origin");
    }
  };
}
