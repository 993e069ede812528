/**
 * @module `/api/v1/environments/{env}/segments[/{segment}]`: pilot-user cohorts. Key lists can be pasted
 * as JSON or uploaded to `…/{segment}/included|excluded` as `text/csv` or `text/plain`, one key per line.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import { baseVersion } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import { resourceKey, SegmentRuleSchema } from "../flags/rule-schemas.js";
import {
  ifMatchHeader,
  jsonBody,
  jsonResponse,
  RulesetVersionsSchema,
  standardProblems,
  writeProblems,
} from "../openapi/route.js";
import { MalformedBodyError } from "../problem/errors.js";
import { EnvParam, pathParams, SegmentParam } from "../problem/params.js";
import { parseOrThrow, validationHook } from "../problem/zod.js";
import { MAX_SEGMENT_KEYS, parseKeyLines } from "./keys.js";
import { createSegment, deleteSegment, getSegment, listSegments, updateSegment } from "./store.js";

/** Raw lists may repeat keys (they are de-duplicated); the distinct limit is checked after. */
const KeyList = z.array(z.string().max(1000)).max(MAX_SEGMENT_KEYS * 2);
const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  included: KeyList.openapi({
    description: `Pilot-user keys (at most ${MAX_SEGMENT_KEYS.toLocaleString("en")} distinct).`,
  }),
  excluded: KeyList,
  rules: z.array(SegmentRuleSchema).max(100),
};

const SegmentSummarySchema = z
  .object({
    environment: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    rules: z.array(SegmentRuleSchema),
    includedCount: z.number().int(),
    excludedCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("SegmentSummary");
const SegmentSchema = SegmentSummarySchema.extend({
  included: z.array(z.string()),
  excluded: z.array(z.string()),
}).openapi("Segment");
const CreateSchema = z
  .object({
    key: resourceKey("Segment"),
    name: fields.name,
    description: fields.description.optional(),
    included: fields.included.optional(),
    excluded: fields.excluded.optional(),
    rules: fields.rules.optional(),
  })
  .strict()
  .openapi("CreateSegment");
const ReplaceSchema = z
  .object({
    ...fields,
    description: fields.description.default(""),
    included: fields.included.default([]),
    excluded: fields.excluded.default([]),
    rules: fields.rules.default([]),
    version: z.number().int().optional(),
  })
  .strict()
  .openapi("ReplaceSegment");
const PatchSchema = z
  .object({ ...fields, version: z.number().int() })
  .partial()
  .strict()
  .openapi("PatchSegment");
const KeysUploadSchema = z.union([
  KeyList,
  z.object({ keys: KeyList, version: z.number().int().optional() }).strict(),
]);

const SegParam = SegmentParam;
const SegmentWrite = z.object({
  segment: SegmentSchema,
  version: z.number().int(),
  rulesetVersions: RulesetVersionsSchema,
});
const tags = ["Segments"];

const listRoute = createRoute({
  method: "get",
  path: "/environments/{env}/segments",
  tags,
  summary: "Segments of an environment (key counts, not keys)",
  request: { params: EnvParam },
  responses: {
    200: jsonResponse(z.object({ segments: z.array(SegmentSummarySchema) }), "Segments"),
    ...standardProblems,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/environments/{env}/segments/{segment}",
  tags,
  summary: "A segment with its keys",
  request: { params: SegParam },
  responses: { 200: jsonResponse(SegmentSchema, "The segment"), ...standardProblems },
});
const createSegmentRoute = createRoute({
  method: "post",
  path: "/environments/{env}/segments",
  tags,
  summary: "Create a segment",
  request: { params: EnvParam, body: jsonBody(CreateSchema) },
  responses: { 201: jsonResponse(SegmentWrite, "Created"), ...writeProblems, 413: standardProblems[400] },
});
const putRoute = createRoute({
  method: "put",
  path: "/environments/{env}/segments/{segment}",
  tags,
  summary: "Replace a segment",
  request: { params: SegParam, headers: ifMatchHeader, body: jsonBody(ReplaceSchema) },
  responses: { 200: jsonResponse(SegmentWrite, "Updated"), ...writeProblems, 413: standardProblems[400] },
});
const patchRoute = createRoute({
  method: "patch",
  path: "/environments/{env}/segments/{segment}",
  tags,
  summary: "Change some fields of a segment",
  request: { params: SegParam, headers: ifMatchHeader, body: jsonBody(PatchSchema) },
  responses: { 200: jsonResponse(SegmentWrite, "Updated"), ...writeProblems, 413: standardProblems[400] },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/environments/{env}/segments/{segment}",
  tags,
  summary: "Delete a segment no flag uses",
  request: { params: SegParam, headers: ifMatchHeader },
  responses: {
    200: jsonResponse(z.object({ rulesetVersions: RulesetVersionsSchema }), "Deleted"),
    ...writeProblems,
  },
});

/** Reads an upload body: JSON array / `{ keys, version }`, or text (CSV first column, or one key per line). */
async function readKeyUpload(c: Context): Promise<{ keys: string[]; version?: number }> {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "text/csv" || mediaType === "text/plain") {
    return { keys: parseKeyLines(await c.req.text(), mediaType === "text/csv") };
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new MalformedBodyError("Malformed JSON in request body.");
  }
  const parsed = parseOrThrow(KeysUploadSchema, body);
  return Array.isArray(parsed) ? { keys: parsed } : parsed;
}

export function segmentRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/environments/:env/segments", editorForWrites());
  app.use("/environments/:env/segments/*", editorForWrites());

  app.openapi(listRoute, async (c) =>
    c.json({ segments: await listSegments(deps, c.req.valid("param").env) }, 200),
  );
  app.openapi(getRoute, async (c) => {
    const { env, segment } = c.req.valid("param");
    return c.json(await getSegment(deps, env, segment), 200);
  });
  app.openapi(createSegmentRoute, async (c) =>
    c.json(await createSegment(deps, c.get("actor"), c.req.valid("param").env, c.req.valid("json")), 201),
  );
  app.openapi(putRoute, async (c) => {
    const { env, segment } = c.req.valid("param");
    const { version, ...fieldsIn } = c.req.valid("json");
    return c.json(
      await updateSegment(deps, c.get("actor"), env, segment, baseVersion(c, version), fieldsIn),
      200,
    );
  });
  app.openapi(patchRoute, async (c) => {
    const { env, segment } = c.req.valid("param");
    const { version, ...changes } = c.req.valid("json");
    return c.json(
      await updateSegment(deps, c.get("actor"), env, segment, baseVersion(c, version), changes),
      200,
    );
  });
  app.openapi(deleteRoute, async (c) => {
    const { env, segment } = c.req.valid("param");
    return c.json(await deleteSegment(deps, c.get("actor"), env, segment, baseVersion(c)), 200);
  });

  for (const list of ["included", "excluded"] as const) {
    app.openAPIRegistry.registerPath({
      method: "put",
      path: `/environments/{env}/segments/{segment}/${list}`,
      tags,
      summary: `Replace the ${list} keys: text/csv, text/plain (one key per line) or a JSON array`,
      request: {
        params: SegParam,
        headers: ifMatchHeader,
        body: {
          required: true,
          content: {
            "text/plain": { schema: z.string() },
            "text/csv": { schema: z.string() },
            "application/json": { schema: KeysUploadSchema },
          },
        },
      },
      responses: { 200: jsonResponse(SegmentWrite, "Updated"), ...writeProblems, 413: standardProblems[400] },
    });
    app.put(`/environments/:env/segments/:segment/${list}`, async (c) => {
      const { env, segment } = pathParams(c, SegParam);
      const { keys, version } = await readKeyUpload(c);
      return c.json(
        await updateSegment(deps, c.get("actor"), env, segment, baseVersion(c, version), { [list]: keys }),
        200,
      );
    });
  }
  return app;
}
