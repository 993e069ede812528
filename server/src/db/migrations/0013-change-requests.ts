import { type Kysely, sql } from "kysely";

/** Change requests: a flag-state edit in an environment that requires approval waits here for a second person. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("change_requests")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("changes", "jsonb", (c) => c.notNull())
    .addColumn("base_version", "integer", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("requested_by_id", "text", (c) => c.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_at", "timestamptz")
    .addColumn("comments", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("change_requests_status_idx")
    .on("change_requests")
    .columns(["status", "environment_key"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("change_requests").ifExists().execute();
}
