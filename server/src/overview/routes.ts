/**
 * @module `GET /api/v1/overview`: what the admin UI's flags overview, incident screen and segment list
 * read — every flag and what it serves in each environment, compact, with an ETag so the live poll gets
 * a 304 when nothing changed. `GET /api/v1/overview/kills`: the incident screen's kills with the
 * ruleset version each produced. Anyone logged in may read them.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import type { AppDeps } from "../deps.js";
import { jsonResponse, standardProblems } from "../openapi/route.js";
import { pathId } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { matchesEtag } from "../sdk/routes.js";
import { KILL_ACTIONS, listKills } from "./kills.js";
import { overviewSource } from "./overview.js";

const CellSchema = z
  .object({
    on: z.boolean(),
    tone: z.enum(["on", "partial", "off", "missing"]),
    text: z.string().openapi({ description: "What it serves, in a few words: `20% rollout`." }),
    detail: z.string().openapi({ description: "The same as a sentence." }),
    setup: z.string().openapi({
      description: "Fingerprint of the setup a promotion copies: equal in two environments = same setup.",
    }),
    segments: z.array(z.string()).optional().openapi({ description: "Segments the setup refers to." }),
  })
  .openapi("OverviewCell");

const OverviewSchema = z
  .object({
    environments: z.array(z.string()).openapi({ description: "Environment keys in release order." }),
    cells: z
      .array(CellSchema)
      .openapi({ description: "Each distinct cell once; flags refer to them by index." }),
    flags: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        description: z.string(),
        tags: z.array(z.string()),
        owner: z.string().nullable(),
        temporary: z.boolean(),
        cells: z.array(z.number().int().nullable()).openapi({
          description:
            "One per environment, in the order of `environments`: an index into `cells`; null: no state there.",
        }),
      }),
    ),
  })
  .openapi("Overview");

const overviewRoute = createRoute({
  method: "get",
  path: "/overview",
  tags: ["Flags"],
  summary: "Every unarchived flag and what it serves in each environment (compact, with an ETag)",
  request: {
    headers: z.object({
      "if-none-match": z.string().optional().openapi({ description: "The ETag of the overview you hold." }),
    }),
  },
  responses: {
    200: jsonResponse(OverviewSchema, "The overview"),
    304: { description: "Unchanged since the ETag sent in `If-None-Match`." },
    ...standardProblems,
  },
});

const KillSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
    action: z.enum(KILL_ACTIONS),
    environment: z.string().nullable(),
    tag: z.string().nullable().openapi({ description: "For an incident: the tag whose flags were killed." }),
    flags: z.array(z.string()).openapi({ description: "The flags it turned off." }),
    reason: z.string().nullable(),
    rulesetVersion: z.number().int().nullable().openapi({
      description:
        "The environment's ruleset version it produced: ask `/environments/{env}/delivery?version=` whether SDKs have it.",
    }),
  })
  .openapi("Kill");

const killsRoute = createRoute({
  method: "get",
  path: "/overview/kills",
  tags: ["Flag state"],
  summary: "Kills and incidents, newest first, with the ruleset version each produced",
  request: {
    query: z.object({
      before: pathId.optional().openapi({ description: "`nextBefore` of the previous page." }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ kills: z.array(KillSchema), nextBefore: z.number().int().nullable() }),
      "A page of kills",
    ),
    ...standardProblems,
  },
});

export function overviewRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const source = overviewSource(deps);
  app.openapi(overviewRoute, async (c) => {
    const current = await source.current();
    const { etag } = current;
    const headers: Record<string, string> = {
      ETag: etag,
      "Cache-Control": "private, no-cache",
      Vary: "Accept-Encoding",
    };
    // Compared as weak ETags are (RFC 9110 §8.8.3.2): matchesEtag drops the W/ of the header's tags.
    if (matchesEtag(c.req.header("if-none-match"), etag.slice(2)))
      return new Response(null, { status: 304, headers });
    const snapshot = await source.snapshot(current);
    headers["Content-Type"] = "application/json; charset=utf-8";
    if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? ""))
      return new Response(snapshot.gzip, { headers: { ...headers, "Content-Encoding": "gzip" } });
    return new Response(snapshot.json, { headers });
  });
  app.openapi(killsRoute, async (c) => c.json(await listKills(deps, c.req.valid("query")), 200));
  return app;
}
