/**
 * @module A flag's state in one environment: read, edit (versioned), the kill switch and incident mode.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { assertVersion, type BaseVersion } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { FlagStateRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError } from "../problem/errors.js";
import { type StateFields, validateState } from "./validate-state.js";

export interface FlagStateView extends StateFields {
  flag: string;
  environment: string;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

export function stateView(row: FlagStateRow): FlagStateView {
  return {
    flag: row.flag_key,
    environment: row.environment_key,
    on: row.on,
    offVariation: row.off_variation,
    targets: row.targets,
    rules: row.rules,
    fallthrough: row.fallthrough,
    prerequisites: row.prerequisites,
    shadow: row.shadow,
    version: row.version,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

type Deps = Omit<AppDeps, "rulesets">;

async function requireEnvironment(db: Pick<AppDeps, "db">["db"] | Trx, environment: string) {
  const env = await db
    .selectFrom("environments")
    .select("key")
    .where("key", "=", environment)
    .executeTakeFirst();
  if (!env) throw new NotFoundError(`No environment "${environment}".`);
}

export async function getState(
  deps: Pick<AppDeps, "db">,
  environment: string,
  flag: string,
): Promise<FlagStateView> {
  const row = await deps.db
    .selectFrom("flag_states")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("flag_key", "=", flag)
    .executeTakeFirst();
  if (!row) {
    await requireEnvironment(deps.db, environment);
    throw new NotFoundError(`No flag "${flag}".`);
  }
  return stateView(row);
}

export async function listStates(deps: Pick<AppDeps, "db">, environment: string): Promise<FlagStateView[]> {
  await requireEnvironment(deps.db, environment);
  const rows = await deps.db
    .selectFrom("flag_states")
    .selectAll()
    .where("environment_key", "=", environment)
    .orderBy("flag_key")
    .execute();
  return rows.map(stateView);
}

export async function lockState(trx: Trx, environment: string, flag: string): Promise<FlagStateRow> {
  const row = await trx
    .selectFrom("flag_states")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("flag_key", "=", flag)
    .forUpdate()
    .executeTakeFirst();
  if (!row) {
    await requireEnvironment(trx, environment);
    throw new NotFoundError(`No flag "${flag}".`);
  }
  return row;
}

export async function writeState(trx: Trx, before: FlagStateRow, next: StateFields, actor: Actor, now: Date) {
  return trx
    .updateTable("flag_states")
    .set({
      on: next.on,
      off_variation: next.offVariation,
      targets: jsonb(next.targets),
      rules: jsonb(next.rules),
      fallthrough: jsonb(next.fallthrough),
      prerequisites: jsonb(next.prerequisites),
      shadow: next.shadow === null ? null : jsonb(next.shadow),
      version: before.version + 1,
      updated_at: now,
      updated_by: actor.name,
    })
    .where("environment_key", "=", before.environment_key)
    .where("flag_key", "=", before.flag_key)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces (PUT) or merges (PATCH) a state; `changes` holds only the fields to change for a merge. */
export async function updateState(
  deps: Deps,
  actor: Actor,
  environment: string,
  flag: string,
  base: BaseVersion,
  changes: Partial<StateFields>,
  reason?: string,
) {
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "flag_state.update",
      targetType: "flag_state",
      targetKey: flag,
      environment,
      flag,
      reason: reason ?? null,
      before: (r: { before: FlagStateRow }) => stateView(r.before),
      after: (r: { after: FlagStateRow }) => stateView(r.after),
      affects: [{ environment, flags: [flag] }],
    },
    async (trx) => {
      const before = await lockState(trx, environment, flag);
      assertVersion(base, before.version, stateView(before));
      const {
        flag: _f,
        environment: _e,
        version: _v,
        updatedAt: _u,
        updatedBy: _b,
        ...current
      } = stateView(before);
      const next: StateFields = { ...current, ...changes };
      const definition = await trx
        .selectFrom("flags")
        .select(["key", "kind", "variations", "salt"])
        .where("key", "=", flag)
        .executeTakeFirstOrThrow();
      await validateState(trx, environment, definition, next);
      return { before, after: await writeState(trx, before, next, actor, deps.now()) };
    },
  );
  return { state: stateView(result.after), version: result.after.version, rulesetVersions };
}

/** The kill switch: turns the flag off. A version is optional (incidents do not wait for a refresh). */
export async function killFlag(
  deps: Deps,
  actor: Actor,
  environment: string,
  flag: string,
  reason: string,
  base?: BaseVersion,
) {
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "flag.kill",
      targetType: "flag_state",
      targetKey: flag,
      environment,
      flag,
      reason,
      before: (r: { before: FlagStateRow }) => stateView(r.before),
      after: (r: { after: FlagStateRow }) => stateView(r.after),
      affects: [{ environment, flags: [flag] }],
    },
    async (trx) => {
      const before = await lockState(trx, environment, flag);
      if (base !== undefined) assertVersion(base, before.version, stateView(before));
      const after = await trx
        .updateTable("flag_states")
        .set({ on: false, version: before.version + 1, updated_at: deps.now(), updated_by: actor.name })
        .where("environment_key", "=", environment)
        .where("flag_key", "=", flag)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after };
    },
  );
  return { state: stateView(result.after), version: result.after.version, rulesetVersions };
}

/** Incident mode: every flag carrying `tag` turned off in one environment, one transaction, one audit entry. */
export async function declareIncident(
  deps: Deps,
  actor: Actor,
  environment: string,
  tag: string,
  reason: string,
) {
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "incident.declare",
      targetType: "tag",
      targetKey: tag,
      environment,
      reason,
      before: (r: { killed: FlagStateRow[]; before: FlagStateRow[] }) => ({
        tag,
        flags: Object.fromEntries(r.before.map((s) => [s.flag_key, { on: s.on, version: s.version }])),
      }),
      after: (r: { killed: FlagStateRow[] }) => ({
        tag,
        flags: Object.fromEntries(r.killed.map((s) => [s.flag_key, { on: s.on, version: s.version }])),
      }),
      affects: (r: { killed: FlagStateRow[] }) =>
        r.killed.length > 0 ? [{ environment, flags: r.killed.map((s) => s.flag_key) }] : [],
    },
    async (trx) => {
      await requireEnvironment(trx, environment);
      const tagged = await trx
        .selectFrom("flags")
        .select("key")
        .where("tags", "@>", jsonb([tag]))
        .execute();
      const keys = tagged.map((f) => f.key);
      if (keys.length === 0) return { before: [], killed: [] };
      const before = await trx
        .selectFrom("flag_states")
        .selectAll()
        .where("environment_key", "=", environment)
        .where("flag_key", "in", keys)
        .orderBy("flag_key")
        .forUpdate()
        .execute();
      const killed = await trx
        .updateTable("flag_states")
        .set((eb) => ({
          on: false,
          version: eb("version", "+", 1),
          updated_at: deps.now(),
          updated_by: actor.name,
        }))
        .where("environment_key", "=", environment)
        .where("flag_key", "in", keys)
        .returningAll()
        .execute();
      killed.sort((a, b) => a.flag_key.localeCompare(b.flag_key));
      return { before, killed };
    },
  );
  return { killed: result.killed.map(stateView), rulesetVersions };
}
