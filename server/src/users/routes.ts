/**
 * @module `/api/v1/users`: admins invite users, change roles, reset passwords and disable accounts.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { requireRole } from "../auth/middleware.js";
import { MIN_PASSWORD_LENGTH } from "../auth/passwords.js";
import { baseVersion } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import { ifMatchHeader, jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { IdParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { createUser, getUser, issueSetupLink, listUsers, updateUser } from "./store.js";

const RoleSchema = z.enum(["viewer", "editor", "admin"]);
const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
    passwordSet: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("User");
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1000);
const CreateSchema = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200),
    role: RoleSchema,
    password: password.optional(),
  })
  .strict()
  .openapi("CreateUser");
const UpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: RoleSchema,
    disabled: z.boolean(),
    password,
    version: z.number().int(),
  })
  .partial()
  .strict()
  .openapi("UpdateUser");
const tags = ["Users"];

const listRoute = createRoute({
  method: "get",
  path: "/users",
  tags,
  summary: "List users",
  responses: { 200: jsonResponse(z.object({ users: z.array(UserSchema) }), "Users"), ...standardProblems },
});
const getRoute = createRoute({
  method: "get",
  path: "/users/{id}",
  tags,
  summary: "One user",
  request: { params: IdParam },
  responses: { 200: jsonResponse(UserSchema, "The user"), ...standardProblems },
});
const createUserRoute = createRoute({
  method: "post",
  path: "/users",
  tags,
  summary: "Add a user; without a password the answer carries a one-time setup link",
  request: { body: jsonBody(CreateSchema) },
  responses: {
    201: jsonResponse(z.object({ user: UserSchema, setupUrl: z.string().optional() }), "Created"),
    ...writeProblems,
  },
});
const updateRoute = createRoute({
  method: "patch",
  path: "/users/{id}",
  tags,
  summary: "Change name, role or password, or disable",
  request: { params: IdParam, headers: ifMatchHeader, body: jsonBody(UpdateSchema) },
  responses: {
    200: jsonResponse(z.object({ user: UserSchema, version: z.number().int() }), "Updated"),
    ...writeProblems,
  },
});
const setupLinkRoute = createRoute({
  method: "post",
  path: "/users/{id}/setup-link",
  tags,
  summary: "Issue a new one-time link for the user to choose a password",
  request: { params: IdParam },
  responses: { 201: jsonResponse(z.object({ setupUrl: z.string() }), "Link"), ...standardProblems },
});

export function userRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/users", requireRole("admin"));
  app.use("/users/*", requireRole("admin"));
  app.openapi(listRoute, async (c) => c.json({ users: await listUsers(deps) }, 200));
  app.openapi(getRoute, async (c) => c.json(await getUser(deps, c.req.valid("param").id), 200));
  app.openapi(createUserRoute, async (c) =>
    c.json(await createUser(deps, c.get("actor"), c.req.valid("json")), 201),
  );
  app.openapi(updateRoute, async (c) => {
    const { version, ...changes } = c.req.valid("json");
    const user = await updateUser(
      deps,
      c.get("actor"),
      c.req.valid("param").id,
      baseVersion(c, version),
      changes,
    );
    return c.json({ user, version: user.version }, 200);
  });
  app.openapi(setupLinkRoute, async (c) => {
    const user = await getUser(deps, c.req.valid("param").id);
    return c.json({ setupUrl: await issueSetupLink(deps, c.get("actor"), user) }, 201);
  });
  return app;
}
