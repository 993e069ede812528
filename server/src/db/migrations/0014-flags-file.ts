import type { Kysely } from "kysely";

/**
 * What a flags file applied at start-up, per environment and flag: the state version it wrote and the
 * content it wrote. A later start updates the flag only if nobody changed it since (same version).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("flags_file_applied")
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("state_version", "integer", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("flags_file_applied_pk", ["environment_key", "flag_key"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("flags_file_applied").ifExists().execute();
}
