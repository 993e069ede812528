/**
 * @module Builds the Hono app from the routers: the admin API (`/api/v1`), its OpenAPI document and
 * reference page, the SDK/OFREP/observability routes, health checks and the admin UI's files. One
 * `onError` renders every failure as `application/problem+json`.
 */
import { resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { compress } from "hono/compress";
import { sql } from "kysely";
import { auditRoutes } from "./audit/routes.js";
import type { AppEnv } from "./auth/context.js";
import { authenticate } from "./auth/middleware.js";
import { authRoutes } from "./auth/routes.js";
import { changeRequestRoutes } from "./change-requests/routes.js";
import { changelogRoutes } from "./changelog/routes.js";
import { darkLaunchRoutes } from "./dark-launch/routes.js";
import { deliveryRoutes } from "./delivery/routes.js";
import type { AppDeps } from "./deps.js";
import { environmentRoutes } from "./environments/routes.js";
import { flagRoutes } from "./flags/routes.js";
import { stateRoutes } from "./flags/state-routes.js";
import { freezeRoutes } from "./freezes/routes.js";
import { guardRoutes } from "./guards/routes.js";
import { keyRoutes } from "./keys/routes.js";
import { timeRequests } from "./observability/metrics.js";
import { observabilityRoutes } from "./observability/routes.js";
import { ofrepRoutes } from "./ofrep/routes.js";
import { mountApiDocs } from "./openapi/docs.js";
import { overviewRoutes } from "./overview/routes.js";
import { requireJsonBodies } from "./problem/content-type.js";
import { NotFoundError, PayloadTooLargeError } from "./problem/errors.js";
import { handleError } from "./problem/respond.js";
import { validationHook } from "./problem/zod.js";
import { promotionRoutes } from "./promotion/routes.js";
import { scheduleRoutes } from "./schedules/routes.js";
import { sdkRoutes } from "./sdk/routes.js";
import { segmentRoutes } from "./segments/routes.js";
import { shadowRoutes } from "./shadow/routes.js";
import { usageRoutes } from "./usage/routes.js";
import { userRoutes } from "./users/routes.js";
import { webhookRoutes } from "./webhooks/routes.js";

export type App = OpenAPIHono<AppEnv>;

/** JSON and problem+json answers of the admin API; CompressionStream, so it runs on edge runtimes too. */
const COMPRESSIBLE_API_TYPES = /^application\/(?:problem\+)?json\b/;

/** Enough for a segment of 100,000 keys of up to 256 characters, as JSON. */
const MAX_API_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Routers of the delivery side (`/sdk/v1`, `/ofrep/v1`, `/metrics`…), each `(deps) => Hono`, mounted at
 * the root. Listed here as they land in their folders.
 */
const deliveryRouters: ((deps: AppDeps) => unknown)[] = [
  sdkRoutes,
  ofrepRoutes,
  deliveryRoutes,
  usageRoutes,
  observabilityRoutes,
  shadowRoutes,
];

export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", timeRequests(deps));
  app.onError(handleError(deps.logger));
  app.notFound((c) => {
    throw new NotFoundError(`No route for ${c.req.method} ${new URL(c.req.url).pathname}.`);
  });

  if (deps.logger.isLevelEnabled("debug")) {
    app.use("*", async (c, next) => {
      const started = performance.now();
      await next();
      deps.logger.debug(
        {
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        "request",
      );
    });
  }

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
    } catch {
      return c.json({ status: "unavailable", database: false }, 503);
    }
    const environments = await deps.db.selectFrom("environments").select("key").execute();
    const loaded = environments.every((e) => deps.rulesets.server(e.key) !== undefined);
    return c.json(
      { status: loaded ? "ready" : "loading", database: true, rulesets: loaded },
      loaded ? 200 : 503,
    );
  });

  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  api.use("*", compress({ contentTypeFilter: COMPRESSIBLE_API_TYPES }));
  api.use(
    "*",
    bodyLimit({
      maxSize: MAX_API_BODY_BYTES,
      onError: () => {
        throw new PayloadTooLargeError(
          `Request bodies are limited to ${MAX_API_BODY_BYTES / 1024 / 1024} MB.`,
        );
      },
    }),
  );
  api.use("*", requireJsonBodies());
  api.route("/", authRoutes(deps));
  const protectedApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  protectedApi.use("*", authenticate(deps));
  protectedApi.route("/", environmentRoutes(deps));
  protectedApi.route("/", flagRoutes(deps));
  protectedApi.route("/", overviewRoutes(deps));
  protectedApi.route("/", stateRoutes(deps));
  protectedApi.route("/", darkLaunchRoutes(deps));
  protectedApi.route("/", guardRoutes(deps));
  protectedApi.route("/", freezeRoutes(deps));
  protectedApi.route("/", scheduleRoutes(deps));
  protectedApi.route("/", changeRequestRoutes(deps));
  protectedApi.route("/", segmentRoutes(deps));
  protectedApi.route("/", keyRoutes(deps));
  protectedApi.route("/", userRoutes(deps));
  protectedApi.route("/", webhookRoutes(deps));
  protectedApi.route("/", auditRoutes(deps));
  protectedApi.route("/", changelogRoutes(deps));
  protectedApi.route("/", promotionRoutes(deps));
  api.route("/", protectedApi);
  app.route("/api/v1", api);
  mountApiDocs(app);

  mountDeliveryRoutes(app, deps);
  if (deps.config.adminUiDir) mountAdminUi(app, resolve(deps.config.adminUiDir));
  return app;
}

/** Routers owned by the delivery side; see their folders. */
function mountDeliveryRoutes(app: App, deps: AppDeps): void {
  for (const routes of deliveryRouters) app.route("/", routes(deps) as App);
}

/** The admin UI's built files at `/`, falling back to `index.html` for client-side routes. */
function mountAdminUi(app: App, root: string): void {
  app.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const path = new URL(c.req.url).pathname;
    if (/^\/(api|sdk|ofrep)\//.test(path)) return next();
    return serveStatic({ root })(c, next);
  });
  app.get("*", async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (/^\/(api|sdk|ofrep)\//.test(path) || /\.[a-z0-9]+$/i.test(path)) return next();
    return serveStatic({ root, path: "index.html" })(c, next);
  });
}
