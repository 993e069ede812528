/**
 * @module `GET /api/v1/audit`: who changed what, newest first, filtered by flag, environment, actor,
 * action and time; paged with an opaque cursor.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import type { AppDeps } from "../deps.js";
import { jsonResponse, standardProblems } from "../openapi/route.js";
import { cursorParam, pathKey } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { AuditEntrySchema, queryAudit } from "./query.js";

const QuerySchema = z.object({
  flag: pathKey("flag").optional(),
  environment: pathKey("environment").optional(),
  actor: z.string().optional().openapi({ description: "Actor name (email or key name) or id." }),
  action: z
    .string()
    .optional()
    .openapi({ description: "Exact action, or a prefix ending in `.` (e.g. `flag.`)." }),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: cursorParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const listRoute = createRoute({
  method: "get",
  path: "/audit",
  tags: ["Audit"],
  summary: "The audit log, newest first",
  request: { query: QuerySchema },
  responses: {
    200: jsonResponse(
      z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
      "A page of entries; pass nextCursor for the next",
    ),
    ...standardProblems,
  },
});

export function auditRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) => c.json(await queryAudit(deps, c.req.valid("query")), 200));
  return app;
}
