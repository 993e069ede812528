/**
 * @module Segments (pilot-user cohorts) of one environment: create, edit (versioned), replace key lists,
 * delete (refused while a flag still matches it).
 */
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { assertVersion, type BaseVersion } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { SegmentRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError, NotFoundError } from "../problem/errors.js";
import { assertSegmentGraph } from "./cycles.js";
import { normaliseKeys } from "./keys.js";

type SegmentRules = SegmentRow["rules"];

export interface SegmentView {
  environment: string;
  key: string;
  name: string;
  description: string;
  included: string[];
  excluded: string[];
  rules: SegmentRules;
  includedCount: number;
  excludedCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function segmentView(row: SegmentRow): SegmentView {
  return {
    environment: row.environment_key,
    key: row.key,
    name: row.name,
    description: row.description,
    included: row.included,
    excluded: row.excluded,
    rules: row.rules,
    includedCount: row.included.length,
    excludedCount: row.excluded.length,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** For lists and audit entries: counts instead of up to 100,000 keys. */
export function segmentSummary(row: SegmentRow): Omit<SegmentView, "included" | "excluded"> {
  const { included: _i, excluded: _e, ...rest } = segmentView(row);
  return rest;
}

export interface SegmentFields {
  name: string;
  description: string;
  included: string[];
  excluded: string[];
  rules: SegmentRules;
}

type Deps = Omit<AppDeps, "rulesets">;

export async function listSegments(deps: Pick<AppDeps, "db">, environment: string) {
  const env = await deps.db
    .selectFrom("environments")
    .select("key")
    .where("key", "=", environment)
    .executeTakeFirst();
  if (!env) throw new NotFoundError(`No environment "${environment}".`);
  const rows = await deps.db
    .selectFrom("segments")
    .selectAll()
    .where("environment_key", "=", environment)
    .orderBy("key")
    .execute();
  return rows.map(segmentSummary);
}

export async function getSegment(
  deps: Pick<AppDeps, "db">,
  environment: string,
  key: string,
): Promise<SegmentView> {
  const row = await deps.db
    .selectFrom("segments")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("key", "=", key)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No segment "${key}" in environment "${environment}".`);
  return segmentView(row);
}

async function lockSegment(trx: Trx, environment: string, key: string): Promise<SegmentRow> {
  const row = await trx
    .selectFrom("segments")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("key", "=", key)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No segment "${key}" in environment "${environment}".`);
  return row;
}

export async function createSegment(
  deps: Deps,
  actor: Actor,
  environment: string,
  input: Partial<SegmentFields> & { key: string; name: string },
) {
  const included = normaliseKeys(input.included ?? [], "included");
  const excluded = normaliseKeys(input.excluded ?? [], "excluded");
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "segment.create",
      targetType: "segment",
      targetKey: input.key,
      environment,
      before: null,
      after: (row: SegmentRow) => segmentSummary(row),
      affects: [{ environment, segments: [input.key] }],
    },
    async (trx) => {
      const env = await trx
        .selectFrom("environments")
        .select("key")
        .where("key", "=", environment)
        .executeTakeFirst();
      if (!env) throw new NotFoundError(`No environment "${environment}".`);
      const clash = await trx
        .selectFrom("segments")
        .selectAll()
        .where("environment_key", "=", environment)
        .where("key", "=", input.key)
        .executeTakeFirst();
      if (clash)
        throw new ConflictError(
          `Segment "${input.key}" already exists in ${environment}.`,
          segmentSummary(clash),
        );
      const created = await trx
        .insertInto("segments")
        .values({
          environment_key: environment,
          key: input.key,
          name: input.name,
          description: input.description ?? "",
          included: jsonb(included),
          excluded: jsonb(excluded),
          rules: jsonb(input.rules ?? []),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await assertSegmentGraph(trx, environment, input.key);
      return created;
    },
  );
  return { segment: segmentView(result), version: result.version, rulesetVersions };
}

export async function updateSegment(
  deps: Deps,
  actor: Actor,
  environment: string,
  key: string,
  base: BaseVersion,
  changes: Partial<SegmentFields>,
) {
  const included = changes.included === undefined ? undefined : normaliseKeys(changes.included, "included");
  const excluded = changes.excluded === undefined ? undefined : normaliseKeys(changes.excluded, "excluded");
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "segment.update",
      targetType: "segment",
      targetKey: key,
      environment,
      before: (r: { before: SegmentRow }) => segmentSummary(r.before),
      after: (r: { after: SegmentRow }) => segmentSummary(r.after),
      affects: [{ environment, segments: [key] }],
    },
    async (trx) => {
      const before = await lockSegment(trx, environment, key);
      assertVersion(base, before.version, segmentSummary(before));
      const after = await trx
        .updateTable("segments")
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(included !== undefined ? { included: jsonb(included) } : {}),
          ...(excluded !== undefined ? { excluded: jsonb(excluded) } : {}),
          ...(changes.rules !== undefined ? { rules: jsonb(changes.rules) } : {}),
          version: before.version + 1,
          updated_at: deps.now(),
        })
        .where("environment_key", "=", environment)
        .where("key", "=", key)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (changes.rules !== undefined) await assertSegmentGraph(trx, environment, key);
      return { before, after };
    },
  );
  return { segment: segmentView(result.after), version: result.after.version, rulesetVersions };
}

export async function deleteSegment(
  deps: Deps,
  actor: Actor,
  environment: string,
  key: string,
  base: BaseVersion,
) {
  const { rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "segment.delete",
      targetType: "segment",
      targetKey: key,
      environment,
      before: (row: SegmentRow) => segmentSummary(row),
      after: null,
      affects: [{ environment, segments: [key] }],
    },
    async (trx) => {
      const before = await lockSegment(trx, environment, key);
      assertVersion(base, before.version, segmentSummary(before));
      const states = await trx
        .selectFrom("flag_states")
        .select(["flag_key", "rules", "shadow"])
        .where("environment_key", "=", environment)
        .execute();
      const users = states.filter(
        (s) =>
          s.shadow?.segment === key ||
          s.rules.some((r) => r.clauses.some((c) => c.op === "segmentMatch" && c.values.includes(key))),
      );
      if (users.length > 0) {
        throw new ConflictError(
          `Segment "${key}" is still used by ${users.map((u) => u.flag_key).join(", ")} in ${environment}; remove those rules first.`,
          segmentSummary(before),
        );
      }
      await trx
        .deleteFrom("segments")
        .where("environment_key", "=", environment)
        .where("key", "=", key)
        .execute();
      return before;
    },
  );
  return { rulesetVersions };
}
