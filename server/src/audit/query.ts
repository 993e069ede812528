/** @module Reading the audit log with filters and cursor pagination (cursor = opaque id, newest first). */
import { z } from "@hono/zod-openapi";
import type { AuditRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ValidationError } from "../problem/errors.js";

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
    action: z.string(),
    target: z.object({ type: z.string(), key: z.string() }),
    environment: z.string().nullable(),
    flag: z.string().nullable(),
    reason: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi("AuditEntry");

export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export function auditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, key: row.target_key },
    environment: row.environment_key,
    flag: row.flag_key,
    reason: row.reason,
    before: row.before,
    after: row.after,
  };
}

export interface AuditQuery {
  flag?: string;
  environment?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

const encodeCursor = (id: number) => Buffer.from(`a:${id}`).toString("base64url");
function decodeCursor(cursor: string): number {
  const match = /^a:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw ValidationError.field("cursor", "is not a cursor this server issued");
  return Number(match[1]);
}

export async function queryAudit(deps: Pick<AppDeps, "db">, q: AuditQuery) {
  let query = deps.db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id", "desc")
    .limit(q.limit + 1);
  if (q.flag) {
    const flag = q.flag;
    query = query.where((eb) =>
      eb.or([
        eb("flag_key", "=", flag),
        eb.exists(
          eb
            .selectFrom("audit_log_flags")
            .select("audit_id")
            .whereRef("audit_log_flags.audit_id", "=", "audit_log.id")
            .where("audit_log_flags.flag_key", "=", flag),
        ),
      ]),
    );
  }
  if (q.environment) query = query.where("environment_key", "=", q.environment);
  if (q.actor) {
    const actor = q.actor;
    query = query.where((eb) => eb.or([eb("actor_name", "=", actor), eb("actor_id", "=", actor)]));
  }
  if (q.action) {
    query = q.action.endsWith(".")
      ? query.where("action", "like", `${q.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)
      : query.where("action", "=", q.action);
  }
  if (q.from) query = query.where("at", ">=", new Date(q.from));
  if (q.to) query = query.where("at", "<", new Date(q.to));
  if (q.cursor) query = query.where("id", "<", decodeCursor(q.cursor));
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(auditEntry),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
  };
}
