/**
 * @module Reads an environment's ruleset from the database: flag definitions joined with their state in
 * that environment (archived flags left out) and the environment's segments. The whole ruleset on start
 * and after a reconnect; only the changed flags and segments for each committed version.
 */
import { type Flag, RULESET_FORMAT_VERSION, type Ruleset, type Segment } from "@switchyard/core";
import type { Kysely } from "kysely";
import type { Database, EnvironmentRow } from "../db/schema.js";

type Db = Kysely<Database>;

function flagsQuery(db: Db, environment: string) {
  return db
    .selectFrom("flag_states as s")
    .innerJoin("flags as f", "f.key", "s.flag_key")
    .where("s.environment_key", "=", environment)
    .where("f.archived_at", "is", null)
    .select([
      "f.key",
      "f.kind",
      "f.variations",
      "f.salt",
      "f.client_visible",
      "f.version as definition_version",
      "s.on",
      "s.off_variation",
      "s.prerequisites",
      "s.targets",
      "s.rules",
      "s.fallthrough",
      "s.shadow",
      "s.version",
    ]);
}

type FlagRow = Awaited<ReturnType<ReturnType<typeof flagsQuery>["execute"]>>[number];

/** A flag's version in the ruleset moves when its definition or its state in the environment does (both only grow). */
function toFlag(row: FlagRow): Flag {
  const flag: Flag = {
    key: row.key,
    kind: row.kind,
    variations: row.variations,
    version: row.version + row.definition_version,
    salt: row.salt,
    on: row.on,
    offVariation: row.off_variation,
    fallthrough: row.fallthrough,
  };
  if (row.client_visible) flag.clientVisible = true;
  if (row.prerequisites.length) flag.prerequisites = row.prerequisites;
  if (row.targets.length) flag.targets = row.targets;
  if (row.rules.length) flag.rules = row.rules;
  if (row.shadow) flag.shadow = row.shadow;
  return flag;
}

function segmentsQuery(db: Db, environment: string) {
  return db
    .selectFrom("segments")
    .where("environment_key", "=", environment)
    .select(["key", "version", "included", "excluded", "rules"]);
}

function toSegment(row: Awaited<ReturnType<ReturnType<typeof segmentsQuery>["execute"]>>[number]): Segment {
  const segment: Segment = { key: row.key, version: row.version };
  if (row.included.length) segment.included = row.included;
  if (row.excluded.length) segment.excluded = row.excluded;
  if (row.rules.length) segment.rules = row.rules;
  return segment;
}

export async function loadEnvironments(db: Db): Promise<EnvironmentRow[]> {
  return db.selectFrom("environments").selectAll().orderBy("sort_order").execute();
}

/** The whole ruleset, read in one transaction so flags, segments and version agree. */
export async function loadRuleset(db: Db, environment: string): Promise<Ruleset | undefined> {
  return db.transaction().execute(async (trx) => {
    const env = await trx
      .selectFrom("environments")
      .select(["ruleset_version"])
      .where("key", "=", environment)
      .executeTakeFirst();
    if (!env) return undefined;
    const [flags, segments] = [
      await flagsQuery(trx, environment).orderBy("f.key").execute(),
      await segmentsQuery(trx, environment).orderBy("key").execute(),
    ];
    return {
      formatVersion: RULESET_FORMAT_VERSION,
      environment,
      version: env.ruleset_version,
      flags: flags.map(toFlag),
      segments: segments.map(toSegment),
    };
  });
}

export interface ChangedParts {
  version: number;
  /** Changed flags that still exist (not archived or deleted). */
  flags: Flag[];
  segments: Segment[];
}

/** The current state of the named flags and segments, and the environment's version read with them. */
export async function loadChanged(
  db: Db,
  environment: string,
  flagKeys: string[],
  segmentKeys: string[],
): Promise<ChangedParts | undefined> {
  return db.transaction().execute(async (trx) => {
    const env = await trx
      .selectFrom("environments")
      .select(["ruleset_version"])
      .where("key", "=", environment)
      .executeTakeFirst();
    if (!env) return undefined;
    const flags = flagKeys.length
      ? await flagsQuery(trx, environment).where("f.key", "in", flagKeys).execute()
      : [];
    const segments = segmentKeys.length
      ? await segmentsQuery(trx, environment).where("key", "in", segmentKeys).execute()
      : [];
    return { version: env.ruleset_version, flags: flags.map(toFlag), segments: segments.map(toSegment) };
  });
}
