/**
 * @module `GET /api/v1/environments/{env}/changelog`: what changed in an environment, when, by whom and why,
 * one readable line per change, filtered by flag, tag, actor and time; as JSON or as a CSV download.
 */
import { Hono } from "hono";
import { sql } from "kysely";
import type { AppEnv } from "../auth/context.js";
import { authenticate } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError, ValidationError } from "../problem/errors.js";
import { sentence } from "../webhooks/outbox.js";

const MAX_ROWS = 10_000;

export interface ChangelogEntry {
  at: string;
  actor: string;
  actorType: string;
  action: string;
  flag: string | null;
  reason: string | null;
  summary: string;
}

function dateParam(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw ValidationError.field(name, "must be an ISO date");
  return new Date(t);
}

/** RFC 4180: quote every field, double the quotes inside; formulas neutralised for spreadsheets. */
export function toCsv(entries: ChangelogEntry[]): string {
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

export function changelogRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/environments/:env/changelog", authenticate(deps), async (c) => {
    const env = c.req.param("env");
    const q = c.req.query();
    const format = q.format ?? "json";
    if (format !== "json" && format !== "csv") throw ValidationError.field("format", "must be json or csv");
    const from = dateParam(q.from, "from");
    const to = dateParam(q.to, "to");
    const exists = await deps.db
      .selectFrom("environments")
      .select("key")
      .where("key", "=", env)
      .executeTakeFirst();
    if (!exists) throw new NotFoundError(`No environment "${env}".`);

    // Changes naming the environment, and those that changed it among others (a promotion to several).
    let query = deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where((eb) =>
        eb.or([
          eb("environment_key", "=", env),
          eb(
            "id",
            "in",
            eb.selectFrom("ruleset_changes").select("audit_id").where("environment_key", "=", env),
          ),
        ]),
      );
    if (q.flag) query = query.where("flag_key", "=", q.flag);
    if (q.actor) query = query.where("actor_name", "=", q.actor);
    if (from) query = query.where("at", ">=", from);
    if (to) query = query.where("at", "<=", to);
    if (q.tag) {
      const tagged = deps.db
        .selectFrom("flags")
        .select("key")
        .where(sql<boolean>`tags @> ${JSON.stringify([q.tag])}::jsonb`);
      query = query.where("flag_key", "in", tagged);
    }
    const rows = await query.orderBy("id", "desc").limit(MAX_ROWS).execute();
    const entries: ChangelogEntry[] = rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      actor: r.actor_name,
      actorType: r.actor_type,
      action: r.action,
      flag: r.flag_key,
      reason: r.reason,
      summary: sentence({
        actor: { name: r.actor_name },
        action: r.action,
        flag: r.flag_key,
        targetKey: r.target_key,
        environment: r.environment_key,
        reason: null,
      }),
    }));
    if (format === "csv") {
      return c.body(toCsv(entries), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="switchyard-${env}-changelog.csv"`,
      });
    }
    return c.json({ environment: env, entries, truncated: rows.length === MAX_ROWS });
  });
  return app;
}
