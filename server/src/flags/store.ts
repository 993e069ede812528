/**
 * @module Flag definitions: key, kind, variations, tags, owner, lifetime, client visibility, archive.
 * A new flag gets an off state in every environment; definition edits reach every environment's ruleset.
 */
import { randomBytes } from "node:crypto";
import type { Variation } from "@switchyard/core";
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { assertVersion, type BaseVersion } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { FlagRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError, NotFoundError } from "../problem/errors.js";
import { initialState } from "./initial-state.js";
import { assertVariationsStillServed, checkVariations } from "./variations.js";

export type FlagKind = FlagRow["kind"];

export interface FlagView {
  key: string;
  name: string;
  description: string;
  kind: FlagKind;
  variations: Variation[];
  tags: string[];
  owner: string | null;
  temporary: boolean;
  clientVisible: boolean;
  /** Bucketing salt (also in every ruleset SDKs receive): previews bucket exactly as SDKs do. */
  salt: string;
  archived: boolean;
  archivedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function flagView(row: FlagRow): FlagView {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    kind: row.kind,
    variations: row.variations,
    tags: row.tags,
    owner: row.owner,
    temporary: row.temporary,
    clientVisible: row.client_visible,
    salt: row.salt,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at ? new Date(row.archived_at).toISOString() : null,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export interface NewFlag {
  key: string;
  name: string;
  description?: string;
  kind: FlagKind;
  variations?: Variation[];
  tags?: string[];
  owner?: string | null;
  temporary?: boolean;
  clientVisible?: boolean;
}

export type FlagChanges = Partial<Omit<NewFlag, "key" | "kind">>;

type Deps = Omit<AppDeps, "rulesets">;

export const BOOLEAN_VARIATIONS: Variation[] = [
  { key: "on", value: true },
  { key: "off", value: false },
];

/** Per environment: is the flag on, and its state version (for toggles in lists). */
export type FlagStatesSummary = Record<string, { on: boolean; version: number }>;

async function statesSummary(
  deps: Pick<AppDeps, "db">,
  keys: string[],
  everyFlag = false,
): Promise<Map<string, FlagStatesSummary>> {
  const summary = new Map<string, FlagStatesSummary>(keys.map((k) => [k, {}]));
  if (keys.length === 0) return summary;
  let query = deps.db.selectFrom("flag_states").select(["flag_key", "environment_key", "on", "version"]);
  // Listing every flag: read every state rather than send thousands of keys as parameters.
  if (!everyFlag) query = query.where("flag_key", "in", keys);
  const rows = await query.execute();
  for (const row of rows) {
    const entry = summary.get(row.flag_key);
    if (entry) entry[row.environment_key] = { on: row.on, version: row.version };
  }
  return summary;
}

export async function listFlags(
  deps: Pick<AppDeps, "db">,
  filter: { tag?: string; archived?: boolean; q?: string } = {},
): Promise<(FlagView & { states: FlagStatesSummary })[]> {
  let query = deps.db.selectFrom("flags").selectAll().orderBy("key");
  if (filter.archived !== undefined)
    query = query.where("archived_at", filter.archived ? "is not" : "is", null);
  if (filter.tag) query = query.where("tags", "@>", jsonb([filter.tag]));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) => eb.or([eb("key", "ilike", like), eb("name", "ilike", like)]));
  }
  const flags = (await query.execute()).map(flagView);
  const unfiltered = !filter.tag && !filter.q && filter.archived === undefined;
  const states = await statesSummary(
    deps,
    flags.map((f) => f.key),
    unfiltered || flags.length > 500,
  );
  return flags.map((f) => ({ ...f, states: states.get(f.key) ?? {} }));
}

export async function getFlag(
  deps: Pick<AppDeps, "db">,
  key: string,
): Promise<FlagView & { states: FlagStatesSummary }> {
  const row = await deps.db.selectFrom("flags").selectAll().where("key", "=", key).executeTakeFirst();
  if (!row) throw new NotFoundError(`No flag "${key}".`);
  return { ...flagView(row), states: (await statesSummary(deps, [key])).get(key) ?? {} };
}

export async function lockFlag(trx: Trx, key: string): Promise<FlagRow> {
  const row = await trx.selectFrom("flags").selectAll().where("key", "=", key).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError(`No flag "${key}".`);
  return row;
}

async function allEnvironments(trx: Trx): Promise<string[]> {
  return (await trx.selectFrom("environments").select("key").execute()).map((e) => e.key);
}

export async function createFlag(deps: Deps, actor: Actor, input: NewFlag) {
  const variations = input.variations ?? (input.kind === "boolean" ? BOOLEAN_VARIATIONS : []);
  checkVariations(input.kind, variations);
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "flag.create",
      targetType: "flag",
      targetKey: input.key,
      flag: input.key,
      before: null,
      after: (r: { flag: FlagRow }) => flagView(r.flag),
      affects: (r: { environments: string[] }) =>
        r.environments.map((environment) => ({ environment, flags: [input.key] })),
    },
    async (trx) => {
      const clash = await trx.selectFrom("flags").selectAll().where("key", "=", input.key).executeTakeFirst();
      if (clash) throw new ConflictError(`Flag "${input.key}" already exists.`, flagView(clash));
      const flag = await trx
        .insertInto("flags")
        .values({
          key: input.key,
          name: input.name,
          description: input.description ?? "",
          kind: input.kind,
          variations: jsonb(variations),
          tags: jsonb(dedupe(input.tags ?? [])),
          owner: input.owner ?? null,
          temporary: input.temporary ?? true,
          client_visible: input.clientVisible ?? false,
          salt: randomBytes(8).toString("hex"),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const environments = await allEnvironments(trx);
      if (environments.length > 0) {
        await trx
          .insertInto("flag_states")
          .values(
            environments.map((env) => ({
              ...initialState(input.key, env, variations),
              updated_by: actor.name,
            })),
          )
          .execute();
      }
      return { flag, environments };
    },
  );
  return { flag: flagView(result.flag), rulesetVersions };
}

/** Edits a definition (or archives it): bumps the flag's version and every environment's ruleset. */
export async function updateFlag(
  deps: Deps,
  actor: Actor,
  key: string,
  base: BaseVersion,
  changes: FlagChanges & { archived?: boolean },
  action = "flag.update",
) {
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action,
      targetType: "flag",
      targetKey: key,
      flag: key,
      before: (r: { before: FlagRow }) => flagView(r.before),
      after: (r: { after: FlagRow }) => flagView(r.after),
      affects: (r: { environments: string[] }) =>
        r.environments.map((environment) => ({ environment, flags: [key] })),
    },
    async (trx) => {
      const before = await lockFlag(trx, key);
      assertVersion(base, before.version, flagView(before));
      if (changes.variations) {
        checkVariations(before.kind, changes.variations);
        await assertVariationsStillServed(trx, key, changes.variations);
      }
      const archivedAt =
        changes.archived === undefined
          ? undefined
          : changes.archived
            ? (before.archived_at ?? deps.now())
            : null;
      const after = await trx
        .updateTable("flags")
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.variations !== undefined ? { variations: jsonb(changes.variations) } : {}),
          ...(changes.tags !== undefined ? { tags: jsonb(dedupe(changes.tags)) } : {}),
          ...(changes.owner !== undefined ? { owner: changes.owner } : {}),
          ...(changes.temporary !== undefined ? { temporary: changes.temporary } : {}),
          ...(changes.clientVisible !== undefined ? { client_visible: changes.clientVisible } : {}),
          ...(archivedAt !== undefined ? { archived_at: archivedAt } : {}),
          version: before.version + 1,
          updated_at: deps.now(),
        })
        .where("key", "=", key)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after, environments: await allEnvironments(trx) };
    },
  );
  return { flag: flagView(result.after), rulesetVersions };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
