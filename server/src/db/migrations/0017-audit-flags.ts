import { type Kysely, sql } from "kysely";

/**
 * An audit entry can concern several flags (a promotion, an incident kill, a flags-file import), but
 * `audit_log.flag_key` names one. Every flag an entry concerns gets a row here, so `?flag=X` finds it
 * for each of them; existing entries are backfilled from `flag_key`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("audit_log_flags")
    .addColumn("audit_id", "integer", (c) => c.notNull().references("audit_log.id").onDelete("cascade"))
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("audit_log_flags_pk", ["flag_key", "audit_id"])
    .execute();
  await sql`insert into audit_log_flags (audit_id, flag_key)
    select id, flag_key from audit_log where flag_key is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_log_flags").execute();
}
