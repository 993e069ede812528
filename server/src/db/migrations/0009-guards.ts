import { type Kysely, sql } from "kysely";

/**
 * Guards: per flag and environment, a limit on what shadow traffic shows (mismatch rate, candidate error
 * rate, candidate p95 latency against control's) watched by a sequential test; tripping kills the flag or
 * stops its ramp. The test's running state lives on the row, so any server instance can continue it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("guards")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("metric", "text", (c) => c.notNull())
    .addColumn("limit", "double precision", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("alpha", "double precision", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("green"))
    .addColumn("llr", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("trials", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("events", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("control_latency", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("tripped_at", "timestamptz")
    .addColumn("trip", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("guards_flag_metric_unique", ["environment_key", "flag_key", "metric"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("guards").ifExists().execute();
}
