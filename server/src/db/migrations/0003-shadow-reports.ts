import { type Kysely, sql } from "kysely";

/** Shadow-traffic statistics from SDKs: one row per flush, per environment, flag and minute. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("shadow_reports")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("minute", "timestamptz", (c) => c.notNull())
    .addColumn("calls", "integer", (c) => c.notNull())
    .addColumn("shadowed", "integer", (c) => c.notNull())
    .addColumn("matches", "integer", (c) => c.notNull())
    .addColumn("mismatches", "integer", (c) => c.notNull())
    .addColumn("candidate_errors", "integer", (c) => c.notNull())
    .addColumn("control_errors", "integer", (c) => c.notNull())
    .addColumn("timeouts", "integer", (c) => c.notNull())
    .addColumn("skipped", "integer", (c) => c.notNull())
    .addColumn("control_latency", "jsonb", (c) => c.notNull())
    .addColumn("candidate_latency", "jsonb", (c) => c.notNull())
    .addColumn("samples", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .createIndex("shadow_reports_flag_idx")
    .on("shadow_reports")
    .columns(["environment_key", "flag_key", "minute"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("shadow_reports").ifExists().execute();
}
