/**
 * @module `GET /api/v1/environments/{env}/changelog`: what changed in an environment, when, by whom and why,
 * one readable sentence per change, filtered by flag, tag, actor and time; as JSON or as a CSV download.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import type { AuditRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { jsonResponse, standardProblems } from "../openapi/route.js";
import { NotFoundError } from "../problem/errors.js";
import { EnvParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { changelogRows, MAX_ROWS } from "./query.js";
import { flagsOf, sentence } from "./sentence.js";

const date = (name: string) =>
  z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${name} must be an ISO date such as 2026-12-01T00:00:00Z`)
    .transform((v) => new Date(v))
    .optional()
    .openapi({ type: "string", format: "date-time" });

const QuerySchema = z.object({
  flag: z.string().min(1).max(100).optional().openapi({
    description:
      "Changes touching this flag, including promotions and incidents that touched it among others.",
  }),
  tag: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Changes touching a flag with this tag." }),
  actor: z.string().min(1).max(320).optional().openapi({ description: "Who made the change, as shown." }),
  from: date("from"),
  to: date("to"),
  format: z.enum(["json", "csv"]).default("json"),
});

const EntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    actorType: z.string(),
    action: z.string().openapi({ example: "flag_state.update" }),
    flag: z.string().nullable().openapi({ description: "The flag, when the change names exactly one." }),
    flags: z.array(z.string()).openapi({ description: "Every flag the change touched." }),
    reason: z.string().nullable(),
    summary: z.string().openapi({ example: "Ana rolled new-checkout out to 25% in production" }),
  })
  .openapi("ChangelogEntry");

export type ChangelogEntry = z.infer<typeof EntrySchema>;

const ChangelogSchema = z
  .object({
    environment: z.string(),
    entries: z.array(EntrySchema),
    truncated: z.boolean().openapi({ description: `True when more than ${MAX_ROWS} entries matched.` }),
  })
  .openapi("Changelog");

const changelogRoute = createRoute({
  method: "get",
  path: "/environments/{env}/changelog",
  tags: ["Changelog"],
  summary: "What changed in an environment, newest first, as readable sentences (JSON or CSV)",
  request: { params: EnvParam, query: QuerySchema },
  responses: {
    200: {
      description: "The changelog",
      content: {
        ...jsonResponse(ChangelogSchema, "").content,
        "text/csv": {
          schema: z.string().openapi({ description: "at,actor,actor_type,action,flag,reason,summary" }),
        },
      },
    },
    ...standardProblems,
  },
});

/** RFC 4180: quote every field, double the quotes inside; formulas neutralised for spreadsheets. */
export function toCsv(entries: Omit<ChangelogEntry, "flags">[]): string {
  const cell = (v: string | null) => {
    const text = v ?? "";
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replace(/"/g, '""')}"`;
  };
  const header = ["at", "actor", "actor_type", "action", "flag", "reason", "summary"];
  const rows = entries.map((e) =>
    [e.at, e.actor, e.actorType, e.action, e.flag, e.reason, e.summary].map(cell).join(","),
  );
  return `${[header.join(","), ...rows].join("\r\n")}\r\n`;
}

function entryOf(r: AuditRow): ChangelogEntry {
  const entry = {
    action: r.action,
    actor: { name: r.actor_name },
    environment: r.environment_key,
    flag: r.flag_key,
    targetType: r.target_type,
    targetKey: r.target_key,
    reason: null,
    before: r.before,
    after: r.after,
  };
  return {
    at: new Date(r.at).toISOString(),
    actor: r.actor_name,
    actorType: r.actor_type,
    action: r.action,
    flag: r.flag_key,
    flags: flagsOf(entry),
    reason: r.reason,
    summary: sentence(entry),
  };
}

export function changelogRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(changelogRoute, async (c) => {
    const { env } = c.req.valid("param");
    const { format, ...filter } = c.req.valid("query");
    const exists = await deps.db
      .selectFrom("environments")
      .select("key")
      .where("key", "=", env)
      .executeTakeFirst();
    if (!exists) throw new NotFoundError(`No environment "${env}".`);
    const rows = await changelogRows(deps.db, env, filter);
    const entries = rows.map(entryOf);
    if (format === "csv") {
      // The CSV flag column names every flag the change touched.
      const csv = toCsv(entries.map((e) => ({ ...e, flag: e.flag ?? (e.flags.join(" ") || null) })));
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="switchyard-${env}-changelog.csv"`,
      });
    }
    return c.json({ environment: env, entries, truncated: rows.length === MAX_ROWS }, 200);
  });
  return app;
}
