import { type Kysely, sql } from "kysely";

/** Change freezes: while one is on, writes to the environment are refused except kills and admin overrides. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("freezes")
    .addColumn("environment_key", "text", (c) =>
      c.primaryKey().references("environments.key").onDelete("cascade"),
    )
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("until", "timestamptz", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("freezes").ifExists().execute();
}
