import { type Kysely, sql } from "kysely";

/**
 * Promotions (copying a flag setup from one environment to others) and the record of the gates they
 * passed: who approved or rejected, when a soak period ended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("promotions")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("from_environment", "text", (c) => c.notNull())
    .addColumn("to_environments", "jsonb", (c) => c.notNull())
    .addColumn("selector", "jsonb", (c) => c.notNull())
    .addColumn("flags", "jsonb", (c) => c.notNull())
    .addColumn("gate", "jsonb")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("preview_hash", "text", (c) => c.notNull())
    .addColumn("preview", "jsonb", (c) => c.notNull())
    .addColumn("source_states", "jsonb", (c) => c.notNull())
    .addColumn("replaced_states", "jsonb")
    .addColumn("applied_versions", "jsonb")
    .addColumn("reason", "text")
    .addColumn("error", "text")
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("requested_by_id", "text", (c) => c.notNull())
    .addColumn("requested_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("applied_by", "text")
    .addColumn("applied_at", "timestamptz")
    .addColumn("reverted_by", "text")
    .addColumn("reverted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("promotions_status_idx").on("promotions").column("status").execute();
  await db.schema
    .createTable("promotion_gate_events")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("promotion_id", "integer", (c) => c.notNull().references("promotions.id").onDelete("cascade"))
    .addColumn("gate", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("comment", "text")
    .addColumn("details", "jsonb")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("promotion_gate_events_promotion_idx")
    .on("promotion_gate_events")
    .column("promotion_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("promotion_gate_events").ifExists().execute();
  await db.schema.dropTable("promotions").ifExists().execute();
}
