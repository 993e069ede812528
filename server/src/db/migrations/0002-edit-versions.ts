import type { Kysely } from "kysely";

/**
 * Environments and users get an edit version too, so every admin write can carry the version it was
 * based on (optimistic concurrency) like flags, states and segments already do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("environments")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("version").execute();
  await db.schema.alterTable("environments").dropColumn("version").execute();
}
