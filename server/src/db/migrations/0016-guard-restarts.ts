import { type Kysely, sql } from "kysely";

/**
 * Guards test "rate > limit" with a restarting CUSUM instead of a never-clamped SPRT (guards/README.md):
 * its scores (one for a rate guard, one per latency edge and path for the latency guard), the trials since
 * its last restart, the candidate's latency histogram beside the control's, and the dark-launch step the
 * statistics were gathered at (a new step starts them afresh). Running tests restart under the new test.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("guards")
    .addColumn("scores", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("since_restart", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("candidate_latency", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("step", "text")
    .execute();
  await sql`update guards set llr = 0, trials = 0, events = 0, control_latency = '[]'::jsonb
    where status = 'green'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("guards")
    .dropColumn("scores")
    .dropColumn("since_restart")
    .dropColumn("candidate_latency")
    .dropColumn("step")
    .execute();
}
