/**
 * @module `/api/openapi.json` (generated from the same zod schemas that validate requests) and
 * `/api/docs`, a small self-contained reference page that renders it (no CDN, no network).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { DOCS_HTML } from "./docs-page.js";
import { registerPlainRoutes } from "./plain-routes.js";

export function mountApiDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "An admin API token: `sy_admin_…`",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "sy_session",
  });
  registerPlainRoutes(app);
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Switchyard admin API",
      version: "1",
      description:
        "Flags, per-environment state, kill switch, segments, keys, users and the audit log. Errors are " +
        "`application/problem+json`. Every edit carries the version it is based on (`If-Match` or `version`).",
    },
    security: [{ adminToken: [] }, { session: [] }],
  });
  app.get("/api/docs", (c) => c.html(DOCS_HTML));
}
