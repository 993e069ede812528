/**
 * @module Environments: the ordered release path (development → staging → production). Creating one
 * gives every flag a state there (off); deleting one removes its states, segments and keys.
 */
import { randomBytes } from "node:crypto";
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { assertVersion, type BaseVersion } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { EnvironmentRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { initialState } from "../flags/initial-state.js";
import { ConflictError, NotFoundError } from "../problem/errors.js";

export interface EnvironmentView {
  key: string;
  name: string;
  sortOrder: number;
  color: string | null;
  corsOrigins: string[];
  requiresApproval: boolean;
  rulesetVersion: number;
  version: number;
  createdAt: string;
}

export function environmentView(row: EnvironmentRow): EnvironmentView {
  return {
    key: row.key,
    name: row.name,
    sortOrder: row.sort_order,
    color: row.color,
    corsOrigins: row.cors_origins,
    requiresApproval: row.requires_approval,
    rulesetVersion: row.ruleset_version,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export interface NewEnvironment {
  key: string;
  name: string;
  color?: string | null;
  corsOrigins?: string[];
  sortOrder?: number;
  requiresApproval?: boolean;
}

export type EnvironmentChanges = Partial<Omit<NewEnvironment, "key">>;

export async function listEnvironments(deps: Pick<AppDeps, "db">): Promise<EnvironmentView[]> {
  const rows = await deps.db
    .selectFrom("environments")
    .selectAll()
    .orderBy("sort_order")
    .orderBy("key")
    .execute();
  return rows.map(environmentView);
}

export async function getEnvironment(deps: Pick<AppDeps, "db">, key: string): Promise<EnvironmentView> {
  const row = await deps.db.selectFrom("environments").selectAll().where("key", "=", key).executeTakeFirst();
  if (!row) throw new NotFoundError(`No environment "${key}".`);
  return environmentView(row);
}

async function lockEnvironment(trx: Trx, key: string): Promise<EnvironmentRow> {
  const row = await trx
    .selectFrom("environments")
    .selectAll()
    .where("key", "=", key)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No environment "${key}".`);
  return row;
}

export async function createEnvironment(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  input: NewEnvironment,
) {
  const committed = await commitChange(
    deps,
    {
      actor,
      action: "environment.create",
      targetType: "environment",
      targetKey: input.key,
      environment: input.key,
      before: null,
      after: (r: { env: EnvironmentRow }) => environmentView(r.env),
      affects: (r: { flags: string[] }) => [{ environment: input.key, flags: r.flags }],
    },
    async (trx) => {
      const clash = await trx
        .selectFrom("environments")
        .selectAll()
        .where("key", "=", input.key)
        .executeTakeFirst();
      if (clash)
        throw new ConflictError(`Environment "${input.key}" already exists.`, environmentView(clash));
      const last = await trx
        .selectFrom("environments")
        .select((eb) => eb.fn.max("sort_order").as("max"))
        .executeTakeFirst();
      const env = await trx
        .insertInto("environments")
        .values({
          key: input.key,
          name: input.name,
          color: input.color ?? null,
          cors_origins: jsonb(input.corsOrigins ?? []),
          sort_order: input.sortOrder ?? (last?.max == null ? 0 : Number(last.max) + 1),
          requires_approval: input.requiresApproval ?? false,
          key_hash_salt: randomBytes(16).toString("hex"),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const flags = await trx.selectFrom("flags").select(["key", "kind", "variations"]).execute();
      if (flags.length > 0) {
        await trx
          .insertInto("flag_states")
          .values(flags.map((f) => initialState(f.key, input.key, f.variations)))
          .execute();
      }
      return { env, flags: flags.map((f) => f.key) };
    },
  );
  await deps.bus.publish({ type: "environments" });
  return { environment: environmentView(committed.result.env), rulesetVersions: committed.rulesetVersions };
}

export async function updateEnvironment(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  key: string,
  base: BaseVersion,
  changes: EnvironmentChanges,
) {
  const committed = await commitChange(
    deps,
    {
      actor,
      action: "environment.update",
      targetType: "environment",
      targetKey: key,
      environment: key,
      before: (r: { before: EnvironmentRow }) => environmentView(r.before),
      after: (r: { after: EnvironmentRow }) => environmentView(r.after),
      affects: [],
    },
    async (trx) => {
      const before = await lockEnvironment(trx, key);
      assertVersion(base, before.version, environmentView(before));
      const after = await trx
        .updateTable("environments")
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.color !== undefined ? { color: changes.color } : {}),
          ...(changes.corsOrigins !== undefined ? { cors_origins: jsonb(changes.corsOrigins) } : {}),
          ...(changes.sortOrder !== undefined ? { sort_order: changes.sortOrder } : {}),
          ...(changes.requiresApproval !== undefined ? { requires_approval: changes.requiresApproval } : {}),
          version: before.version + 1,
        })
        .where("key", "=", key)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after };
    },
  );
  await deps.bus.publish({ type: "environments" });
  return { environment: environmentView(committed.result.after) };
}

export async function deleteEnvironment(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  key: string,
  base: BaseVersion,
) {
  await commitChange(
    deps,
    {
      actor,
      action: "environment.delete",
      targetType: "environment",
      targetKey: key,
      environment: key,
      before: (before: EnvironmentRow) => environmentView(before),
      after: null,
      affects: [],
    },
    async (trx) => {
      const before = await lockEnvironment(trx, key);
      assertVersion(base, before.version, environmentView(before));
      await trx.deleteFrom("environments").where("key", "=", key).execute();
      return before;
    },
  );
  await deps.bus.publish({ type: "environments" });
  await deps.bus.publish({ type: "keys" });
}
