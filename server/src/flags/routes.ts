/**
 * @module `/api/v1/flags`: flag definitions. Viewers read; editors create, edit, archive.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import { baseVersion } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import {
  ifMatchHeader,
  jsonBody,
  jsonResponse,
  RulesetVersionsSchema,
  standardProblems,
  writeProblems,
} from "../openapi/route.js";
import { FlagParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { CreateFlagSchema, FlagSchema, UpdateFlagSchema, VersionOnlySchema } from "./schemas.js";
import { createFlag, getFlag, listFlags, updateFlag } from "./store.js";

const FlagWithStates = FlagSchema.extend({
  states: z
    .record(z.string(), z.object({ on: z.boolean(), version: z.number().int() }))
    .openapi({ description: "Per environment: on/off and the state's version." }),
}).openapi("FlagWithStates");
const FlagWrite = z.object({
  flag: FlagSchema,
  version: z.number().int(),
  rulesetVersions: RulesetVersionsSchema,
});

const listRoute = createRoute({
  method: "get",
  path: "/flags",
  tags: ["Flags"],
  summary: "List flags",
  request: {
    query: z.object({
      tag: z.string().optional(),
      archived: z.enum(["true", "false"]).optional(),
      q: z.string().max(200).optional().openapi({ description: "Search key and name." }),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ flags: z.array(FlagWithStates) }), "Flags"),
    ...standardProblems,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/flags/{flag}",
  tags: ["Flags"],
  summary: "One flag definition",
  request: { params: FlagParam },
  responses: { 200: jsonResponse(FlagWithStates, "The flag"), ...standardProblems },
});
const createFlagRoute = createRoute({
  method: "post",
  path: "/flags",
  tags: ["Flags"],
  summary: "Create a flag (off in every environment)",
  request: { body: jsonBody(CreateFlagSchema) },
  responses: { 201: jsonResponse(FlagWrite, "Created"), ...writeProblems },
});
const updateRoute = createRoute({
  method: "patch",
  path: "/flags/{flag}",
  tags: ["Flags"],
  summary: "Edit a flag's definition",
  request: { params: FlagParam, headers: ifMatchHeader, body: jsonBody(UpdateFlagSchema) },
  responses: { 200: jsonResponse(FlagWrite, "Updated"), ...writeProblems },
});
const archiveRoute = (archived: boolean) =>
  createRoute({
    method: "post",
    path: archived ? "/flags/{flag}/archive" : "/flags/{flag}/unarchive",
    tags: ["Flags"],
    summary: archived ? "Archive a flag (hidden from lists, kept in history)" : "Bring an archived flag back",
    request: {
      params: FlagParam,
      headers: ifMatchHeader,
      body: { ...jsonBody(VersionOnlySchema), required: false },
    },
    responses: { 200: jsonResponse(FlagWrite, archived ? "Archived" : "Unarchived"), ...writeProblems },
  });

export function flagRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/flags", editorForWrites());
  app.use("/flags/*", editorForWrites());

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const archived = q.archived === undefined ? undefined : q.archived === "true";
    return c.json({ flags: await listFlags(deps, { tag: q.tag, archived, q: q.q }) }, 200);
  });
  app.openapi(getRoute, async (c) => c.json(await getFlag(deps, c.req.valid("param").flag), 200));
  app.openapi(createFlagRoute, async (c) => {
    const { flag, rulesetVersions } = await createFlag(deps, c.get("actor"), c.req.valid("json"));
    return c.json({ flag, version: flag.version, rulesetVersions }, 201);
  });
  app.openapi(updateRoute, async (c) => {
    const { version, ...changes } = c.req.valid("json");
    const { flag, rulesetVersions } = await updateFlag(
      deps,
      c.get("actor"),
      c.req.valid("param").flag,
      baseVersion(c, version),
      changes,
    );
    return c.json({ flag, version: flag.version, rulesetVersions }, 200);
  });
  for (const archived of [true, false]) {
    app.openapi(archiveRoute(archived), async (c) => {
      const body = (c.req.valid("json") ?? {}) as { version?: number };
      const { flag, rulesetVersions } = await updateFlag(
        deps,
        c.get("actor"),
        c.req.valid("param").flag,
        baseVersion(c, body.version),
        { archived },
        archived ? "flag.archive" : "flag.unarchive",
      );
      return c.json({ flag, version: flag.version, rulesetVersions }, 200);
    });
  }
  return app;
}
