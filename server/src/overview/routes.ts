/**
 * @module `GET /api/v1/overview`: what the admin UI's flags overview, incident screen and segment list
 * read — every flag and what it serves in each environment, compact, with an ETag so the live poll gets
 * a 304 when nothing changed. Anyone logged in may read it.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import type { AppDeps } from "../deps.js";
import { jsonResponse, standardProblems } from "../openapi/route.js";
import { validationHook } from "../problem/zod.js";
import { matchesEtag } from "../sdk/routes.js";
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
  return app;
}
