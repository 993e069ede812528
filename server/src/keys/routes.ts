/**
 * @module `/api/v1/keys`: admin tokens (with a role) and per-environment server/client SDK keys.
 * The secret is in the create response only.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { requireRole } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { jsonBody, jsonResponse, standardProblems } from "../openapi/route.js";
import { IdParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { createKey, listKeys, revokeKey } from "./store.js";

const KeyKind = z.enum(["admin", "server", "client"]);
const RoleSchema = z.enum(["viewer", "editor", "admin"]);

export const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: KeyKind,
    role: RoleSchema.nullable(),
    environment: z.string().nullable(),
    prefix: z.string().openapi({ description: "First 16 characters of the secret, to recognise the key." }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

const CreateKeySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: KeyKind,
    role: RoleSchema.optional().openapi({ description: "Admin tokens only (default viewer)." }),
    environment: z.string().min(1).optional().openapi({ description: "Server and client keys only." }),
  })
  .strict()
  .openapi("CreateApiKey");

const listRoute = createRoute({
  method: "get",
  path: "/keys",
  tags: ["API keys"],
  summary: "List API keys (prefix only, never the secret)",
  request: { query: z.object({ includeRevoked: z.enum(["true", "false"]).optional() }) },
  responses: { 200: jsonResponse(z.object({ keys: z.array(ApiKeySchema) }), "Keys"), ...standardProblems },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/keys",
  tags: ["API keys"],
  summary: "Create a key; the response is the only time the secret is shown",
  request: { body: jsonBody(CreateKeySchema) },
  responses: {
    201: jsonResponse(ApiKeySchema.extend({ secret: z.string() }), "Created; store the secret now"),
    ...standardProblems,
  },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/keys/{id}",
  tags: ["API keys"],
  summary: "Revoke a key (takes effect on every instance at once)",
  request: { params: IdParam },
  responses: { 200: jsonResponse(ApiKeySchema, "Revoked"), ...standardProblems },
});

export function keyRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/keys", requireRole("admin"));
  app.use("/keys/*", requireRole("admin"));
  app.openapi(listRoute, async (c) => {
    const keys = await listKeys(deps, { includeRevoked: c.req.valid("query").includeRevoked === "true" });
    return c.json({ keys }, 200);
  });
  app.openapi(createKeyRoute, async (c) => {
    const key = await createKey(deps, c.get("actor"), c.req.valid("json"));
    return c.json(key, 201);
  });
  app.openapi(revokeRoute, async (c) => {
    return c.json(await revokeKey(deps, c.get("actor"), c.req.valid("param").id), 200);
  });
  return app;
}
