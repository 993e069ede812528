import type { Kysely } from "kysely";

/**
 * What a flags file applied at start-up per environment and segment: the segment version it wrote and the
 * content it wrote. A later start updates the segment only if nobody changed it since (same version).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("flags_file_segments")
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("segment_key", "text", (c) => c.notNull())
    .addColumn("segment_version", "integer", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("flags_file_segments_pk", ["environment_key", "segment_key"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("flags_file_segments").ifExists().execute();
}
