/**
 * @module Change freezes: `PUT/DELETE /api/v1/environments/{env}/freeze` (admins), `GET` of one and of every
 * active freeze (`/api/v1/freezes`, what the admin UI's banner shows). Setting and lifting are audited, so
 * webhooks announce them.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { requireRole } from "../auth/middleware.js";
import { commitChange } from "../changes/commit.js";
import type { AppDeps } from "../deps.js";
import { jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { NotFoundError, ValidationError } from "../problem/errors.js";
import { EnvParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";

const FreezeSchema = z.object({
  environment: z.string(),
  reason: z.string(),
  until: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const PutSchema = z
  .object({
    reason: z.string().trim().min(1).max(1000),
    until: z.iso.datetime({ offset: true, error: "must be an ISO date-time such as 2026-12-24T00:00:00Z" }),
  })
  .strict();
const tags = ["Freezes"];

type Row = {
  environment_key: string;
  reason: string;
  until: Date | string;
  created_by: string;
  created_at: Date | string;
};
const view = (r: Row) => ({
  environment: r.environment_key,
  reason: r.reason,
  until: new Date(r.until).toISOString(),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});

const listRoute = createRoute({
  method: "get",
  path: "/freezes",
  tags,
  summary: "Every change freeze in force now",
  responses: {
    200: jsonResponse(z.object({ freezes: z.array(FreezeSchema) }), "Freezes"),
    ...standardProblems,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/environments/{env}/freeze",
  tags,
  summary: "The environment's freeze, or null",
  request: { params: EnvParam },
  responses: {
    200: jsonResponse(z.object({ freeze: FreezeSchema.nullable() }), "Freeze"),
    ...standardProblems,
  },
});
const putRoute = createRoute({
  method: "put",
  path: "/environments/{env}/freeze",
  tags,
  summary: "Freeze an environment until a time: writes are refused except kills and admin overrides",
  request: { params: EnvParam, body: jsonBody(PutSchema) },
  responses: { 200: jsonResponse(z.object({ freeze: FreezeSchema }), "Frozen"), ...writeProblems },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/environments/{env}/freeze",
  tags,
  summary: "Lift the freeze",
  request: { params: EnvParam },
  responses: { 204: { description: "Lifted" }, ...writeProblems },
});

export function freezeRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.on(["PUT", "DELETE"], "/environments/:env/freeze", requireRole("admin"));

  const active = (env?: string) => {
    let q = deps.db.selectFrom("freezes").selectAll().where("until", ">", deps.now());
    if (env) q = q.where("environment_key", "=", env);
    return q.orderBy("environment_key").execute();
  };
  const requireEnvironment = async (env: string) => {
    const row = await deps.db
      .selectFrom("environments")
      .select("key")
      .where("key", "=", env)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`No environment "${env}".`);
  };

  app.openapi(listRoute, async (c) => c.json({ freezes: (await active()).map(view) }, 200));
  app.openapi(getRoute, async (c) => {
    const { env } = c.req.valid("param");
    await requireEnvironment(env);
    const [row] = await active(env);
    return c.json({ freeze: row ? view(row) : null }, 200);
  });
  app.openapi(putRoute, async (c) => {
    const { env } = c.req.valid("param");
    const { reason, until } = c.req.valid("json");
    if (Date.parse(until) <= deps.now().getTime())
      throw ValidationError.field("until", "must be in the future");
    await requireEnvironment(env);
    const actor = c.get("actor");
    const { result } = await commitChange(
      deps,
      {
        actor,
        action: "freeze.start",
        targetType: "environment",
        targetKey: env,
        environment: env,
        reason,
        before: null,
        after: (r: Row) => view(r),
        affects: [],
      },
      async (trx) => {
        await trx.deleteFrom("freezes").where("environment_key", "=", env).execute();
        return trx
          .insertInto("freezes")
          .values({ environment_key: env, reason, until: new Date(until), created_by: actor.name })
          .returningAll()
          .executeTakeFirstOrThrow();
      },
    );
    return c.json({ freeze: view(result) }, 200);
  });
  app.openapi(deleteRoute, async (c) => {
    const { env } = c.req.valid("param");
    const [row] = await active(env);
    if (!row) throw new NotFoundError(`${env} is not frozen.`);
    await commitChange(
      deps,
      {
        actor: c.get("actor"),
        action: "freeze.end",
        targetType: "environment",
        targetKey: env,
        environment: env,
        before: view(row),
        after: null,
        affects: [],
      },
      (trx) => trx.deleteFrom("freezes").where("environment_key", "=", env).execute(),
    );
    return c.body(null, 204);
  });
  return app;
}
