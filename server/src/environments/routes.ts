/**
 * @module `/api/v1/environments`: read by anyone logged in, managed by admins.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { requireRole } from "../auth/middleware.js";
import { baseVersion } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import { resourceKey } from "../flags/rule-schemas.js";
import {
  ifMatchHeader,
  jsonBody,
  jsonResponse,
  RulesetVersionsSchema,
  standardProblems,
  writeProblems,
} from "../openapi/route.js";
import { EnvParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import {
  createEnvironment,
  deleteEnvironment,
  getEnvironment,
  listEnvironments,
  updateEnvironment,
} from "./store.js";

export const EnvironmentSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    sortOrder: z.number().int(),
    color: z.string().nullable(),
    corsOrigins: z.array(z.string()),
    requiresApproval: z.boolean(),
    rulesetVersion: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("Environment");

const Origin = z
  .string()
  .refine(
    (o) => o === "*" || /^https?:\/\/[^/\s]+$/.test(o),
    "must be '*' or an origin such as https://app.example.com",
  );
const fields = {
  name: z.string().trim().min(1).max(100),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour such as #22aa55")
    .nullable(),
  corsOrigins: z.array(Origin).max(100),
  sortOrder: z.number().int().min(0).max(10_000),
  requiresApproval: z.boolean(),
};
const CreateSchema = z
  .object({
    key: resourceKey("Environment"),
    ...fields,
    color: fields.color.optional(),
    corsOrigins: fields.corsOrigins.optional(),
    sortOrder: fields.sortOrder.optional(),
    requiresApproval: fields.requiresApproval.optional(),
  })
  .strict()
  .openapi("CreateEnvironment");
const UpdateSchema = z
  .object({ ...fields, version: z.number().int().optional() })
  .partial()
  .strict()
  .openapi("UpdateEnvironment");

const listRoute = createRoute({
  method: "get",
  path: "/environments",
  tags: ["Environments"],
  summary: "Environments in release order",
  responses: {
    200: jsonResponse(z.object({ environments: z.array(EnvironmentSchema) }), "Environments"),
    ...standardProblems,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/environments/{env}",
  tags: ["Environments"],
  summary: "One environment",
  request: { params: EnvParam },
  responses: { 200: jsonResponse(EnvironmentSchema, "The environment"), ...standardProblems },
});
const createEnvRoute = createRoute({
  method: "post",
  path: "/environments",
  tags: ["Environments"],
  summary: "Create an environment (every flag gets an off state in it)",
  request: { body: jsonBody(CreateSchema) },
  responses: {
    201: jsonResponse(
      z.object({ environment: EnvironmentSchema, rulesetVersions: RulesetVersionsSchema }),
      "Created",
    ),
    ...writeProblems,
  },
});
const updateRoute = createRoute({
  method: "patch",
  path: "/environments/{env}",
  tags: ["Environments"],
  summary: "Rename, reorder, recolour or change CORS origins",
  request: { params: EnvParam, headers: ifMatchHeader, body: jsonBody(UpdateSchema) },
  responses: { 200: jsonResponse(z.object({ environment: EnvironmentSchema }), "Updated"), ...writeProblems },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/environments/{env}",
  tags: ["Environments"],
  summary: "Delete an environment with its flag states, segments and keys",
  request: { params: EnvParam, headers: ifMatchHeader },
  responses: { 204: { description: "Deleted" }, ...writeProblems },
});

export function environmentRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const admin = requireRole("admin");
  app.use("/environments", async (c, next) => (c.req.method === "GET" ? next() : admin(c, next)));
  app.use("/environments/:env", async (c, next) => (c.req.method === "GET" ? next() : admin(c, next)));

  app.openapi(listRoute, async (c) => c.json({ environments: await listEnvironments(deps) }, 200));
  app.openapi(getRoute, async (c) => c.json(await getEnvironment(deps, c.req.valid("param").env), 200));
  app.openapi(createEnvRoute, async (c) =>
    c.json(await createEnvironment(deps, c.get("actor"), c.req.valid("json")), 201),
  );
  app.openapi(updateRoute, async (c) => {
    const { version, ...changes } = c.req.valid("json");
    const base = baseVersion(c, version);
    return c.json(
      await updateEnvironment(deps, c.get("actor"), c.req.valid("param").env, base, changes),
      200,
    );
  });
  app.openapi(deleteRoute, async (c) => {
    await deleteEnvironment(deps, c.get("actor"), c.req.valid("param").env, baseVersion(c));
    return c.body(null, 204);
  });
  return app;
}
