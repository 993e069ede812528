import { type Kysely, sql } from "kysely";

/**
 * Scheduled changes: steps (turn on, turn off, set a rollout percentage) at set times for one flag in one
 * environment. A step applies through the ordinary state write; a schedule pauses while a guard of the
 * flag is tripped or the environment is frozen.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("schedules")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("steps", "jsonb", (c) => c.notNull())
    .addColumn("next_step", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("paused_reason", "text")
    .addColumn("log", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("schedules_status_idx").on("schedules").columns(["status"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("schedules").ifExists().execute();
}
