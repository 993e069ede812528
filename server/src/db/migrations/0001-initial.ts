import { type Kysely, sql } from "kysely";

/** The first schema: see `../schema.ts` for what each table holds. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("environments")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addColumn("color", "text")
    .addColumn("ruleset_version", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("cors_origins", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("key_hash_salt", "text", (c) => c.notNull())
    .addColumn("requires_approval", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("flags")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("variations", "jsonb", (c) => c.notNull())
    .addColumn("tags", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("owner", "text")
    .addColumn("temporary", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("client_visible", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("archived_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("flag_states")
    .addColumn("flag_key", "text", (c) => c.notNull().references("flags.key").onDelete("cascade"))
    .addColumn("environment_key", "text", (c) =>
      c.notNull().references("environments.key").onDelete("cascade"),
    )
    .addColumn("on", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("off_variation", "text", (c) => c.notNull())
    .addColumn("prerequisites", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("targets", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("rules", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("fallthrough", "jsonb", (c) => c.notNull())
    .addColumn("shadow", "jsonb")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_by", "text")
    .addPrimaryKeyConstraint("flag_states_pk", ["flag_key", "environment_key"])
    .execute();

  await db.schema
    .createTable("segments")
    .addColumn("environment_key", "text", (c) =>
      c.notNull().references("environments.key").onDelete("cascade"),
    )
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("included", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("excluded", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("rules", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("segments_pk", ["environment_key", "key"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("disabled_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("setup_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("role", "text")
    .addColumn("environment_key", "text", (c) => c.references("environments.key").onDelete("cascade"))
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_key", "text", (c) => c.notNull())
    .addColumn("environment_key", "text")
    .addColumn("flag_key", "text")
    .addColumn("reason", "text")
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .execute();
  await db.schema.createIndex("audit_log_flag_idx").on("audit_log").columns(["flag_key", "id"]).execute();
  await db.schema
    .createIndex("audit_log_env_idx")
    .on("audit_log")
    .columns(["environment_key", "id"])
    .execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").columns(["at"]).execute();

  await db.schema
    .createTable("ruleset_changes")
    .addColumn("environment_key", "text", (c) =>
      c.notNull().references("environments.key").onDelete("cascade"),
    )
    .addColumn("version", "bigint", (c) => c.notNull())
    .addColumn("flags_changed", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("segments_changed", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("audit_id", "bigint")
    .addColumn("committed_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("ruleset_changes_pk", ["environment_key", "version"])
    .execute();

  await db.schema
    .createTable("evaluation_metrics")
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("variant", "text", (c) => c.notNull())
    .addColumn("hour", "timestamptz", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("evaluation_metrics_pk", ["environment_key", "flag_key", "variant", "hour"])
    .execute();

  await db.schema
    .createTable("flag_last_evaluated")
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_key", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("flag_last_evaluated_pk", ["environment_key", "flag_key"])
    .execute();

  await db.schema
    .createTable("sdk_instances")
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("instance_id", "text", (c) => c.notNull())
    .addColumn("sdk", "text", (c) => c.notNull())
    .addColumn("version", "bigint")
    .addColumn("applied_at", "timestamptz")
    .addColumn("acked_at", "timestamptz")
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("sdk_instances_pk", ["environment_key", "instance_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "sdk_instances",
    "flag_last_evaluated",
    "evaluation_metrics",
    "ruleset_changes",
    "audit_log",
    "api_keys",
    "setup_tokens",
    "sessions",
    "users",
    "segments",
    "flag_states",
    "flags",
    "environments",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
