/**
 * @module Plans a promotion inside a transaction: for every target environment and flag, the setup it
 * serves now, the one it will serve, the readable changes and what blocks it. The same function runs
 * for the preview (in a transaction that is always rolled back) and for the real apply, so a preview
 * shows exactly what applying writes — including validation that depends on flags written before it.
 */
import type { Actor } from "../auth/actor.js";
import type { Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { FlagStateRow } from "../db/schema.js";
import { stateView } from "../flags/state-store.js";
import { type StateFields, validateState } from "../flags/validate-state.js";
import { ValidationError } from "../problem/errors.js";
import { describeChanges } from "./describe-changes.js";
import { canonicalJson, segmentReferences, setupOf, sha256 } from "./setup.js";

export type PromotionSelector = { flags: string[] } | { tag: string };

export interface PromotionRequest {
  from: string;
  to: string[];
  selector: PromotionSelector;
}

/** A source setup as it was read (or pinned when a gated promotion was requested). */
export interface SourceSetup {
  version: number;
  updatedAt: string;
  setup: StateFields;
}

export interface PromotionProblem {
  environment: string;
  flag: string;
  kind: "missing-segment" | "invalid";
  message: string;
  path?: string;
  segment?: string;
}

export interface FlagPlan {
  flag: string;
  before: StateFields & { version: number };
  after: StateFields;
  changes: string[];
  unchanged: boolean;
  problems: PromotionProblem[];
}

export interface PromotionPreview {
  from: string;
  to: string[];
  selector: PromotionSelector;
  flags: string[];
  /** Per flag: the source version copied. */
  sourceVersions: Record<string, number>;
  targets: { environment: string; flags: FlagPlan[] }[];
  problems: PromotionProblem[];
  blocked: boolean;
  /** Send back as `expectedPreview` to apply exactly this. */
  hash: string;
}

export interface FlagDefinition {
  key: string;
  kind: "boolean" | "string" | "number" | "json";
  variations: { key: string; value: import("@switchyard/core").JsonValue }[];
  salt: string;
}

/** Checks the environments and resolves the selector to flags; unknown names are 400s naming the field. */
export async function resolveRequest(trx: Trx, request: PromotionRequest): Promise<FlagDefinition[]> {
  const envs = new Set((await trx.selectFrom("environments").select("key").execute()).map((e) => e.key));
  if (!envs.has(request.from)) throw ValidationError.field("from", `no environment "${request.from}"`);
  for (const [i, env] of request.to.entries()) {
    if (!envs.has(env)) throw ValidationError.field(`to.${i}`, `no environment "${env}"`);
    if (env === request.from)
      throw ValidationError.field(`to.${i}`, "cannot promote an environment to itself");
  }
  const query = trx.selectFrom("flags").select(["key", "kind", "variations", "salt", "archived_at"]);
  if ("tag" in request.selector) {
    const tagged = await query
      .where("tags", "@>", jsonb([request.selector.tag]))
      .where("archived_at", "is", null)
      .orderBy("key")
      .execute();
    if (tagged.length === 0)
      throw ValidationError.field("tag", `no active flag carries tag "${request.selector.tag}"`);
    return tagged;
  }
  const wanted = request.selector.flags;
  const found = new Map((await query.where("key", "in", wanted).execute()).map((f) => [f.key, f] as const));
  return wanted.map((key, i) => {
    const flag = found.get(key);
    if (!flag) throw ValidationError.field(`flags.${i}`, `no flag "${key}"`);
    if (flag.archived_at) throw ValidationError.field(`flags.${i}`, `flag "${key}" is archived`);
    return flag;
  });
}

export async function readSources(
  trx: Trx,
  from: string,
  flags: string[],
): Promise<Map<string, SourceSetup>> {
  const rows = await trx
    .selectFrom("flag_states")
    .selectAll()
    .where("environment_key", "=", from)
    .where("flag_key", "in", flags)
    .execute();
  return new Map(
    rows.map((row) => {
      const view = stateView(row);
      return [row.flag_key, { version: row.version, updatedAt: view.updatedAt, setup: setupOf(view) }];
    }),
  );
}

/** Hash of what a preview promises: the source setups copied and the target versions replaced. */
function previewHash(
  request: PromotionRequest,
  flags: string[],
  sources: Map<string, SourceSetup>,
  targets: Map<string, Map<string, FlagStateRow>>,
): string {
  return sha256(
    canonicalJson({
      from: request.from,
      to: request.to,
      flags,
      sources: Object.fromEntries(flags.map((f) => [f, sources.get(f)])),
      targets: Object.fromEntries(
        [...targets].map(([env, rows]) => [
          env,
          Object.fromEntries([...rows].map(([f, r]) => [f, r.version])),
        ]),
      ),
    }),
  );
}

async function lockTargets(trx: Trx, to: string[], flags: string[]) {
  const rows = await trx
    .selectFrom("flag_states")
    .selectAll()
    .where("environment_key", "in", to)
    .where("flag_key", "in", flags)
    .orderBy("environment_key")
    .orderBy("flag_key")
    .forUpdate()
    .execute();
  const byEnv = new Map<string, Map<string, FlagStateRow>>(to.map((env) => [env, new Map()]));
  for (const row of rows) byEnv.get(row.environment_key)?.set(row.flag_key, row);
  return byEnv;
}

async function missingSegments(trx: Trx, environment: string, flag: string, setup: StateFields) {
  const refs = segmentReferences(setup);
  if (refs.length === 0) return [];
  const existing = new Set(
    (
      await trx
        .selectFrom("segments")
        .select("key")
        .where("environment_key", "=", environment)
        .where("key", "in", [...new Set(refs.map((r) => r.key))])
        .execute()
    ).map((s) => s.key),
  );
  return refs
    .filter((ref) => !existing.has(ref.key))
    .map(
      (ref): PromotionProblem => ({
        environment,
        flag,
        kind: "missing-segment",
        segment: ref.key,
        path: ref.path,
        message: `Flag "${flag}" uses segment "${ref.key}" in ${ref.where}, but ${environment} has no segment "${ref.key}". Segments are per environment and are not copied: create it in ${environment} first.`,
      }),
    );
}

export interface PlanOptions {
  request: PromotionRequest;
  definitions: FlagDefinition[];
  sources: Map<string, SourceSetup>;
  actor: Actor;
  now: Date;
}

/**
 * Plans and writes the promotion in `trx`. Writes happen even for a preview (the caller rolls back), so
 * each flag is validated against the target as the flags before it left it. Invalid flags are not
 * written and are reported as problems.
 */
export async function planPromotion(trx: Trx, options: PlanOptions) {
  const { request, definitions, sources, actor, now } = options;
  const flags = definitions.map((d) => d.key);
  const targets = await lockTargets(trx, request.to, flags);
  const hash = previewHash(request, flags, sources, targets);
  const plans: PromotionPreview["targets"] = [];
  const written = new Map<string, Map<string, FlagStateRow>>();
  for (const environment of request.to) {
    const flagPlans: FlagPlan[] = [];
    const writes = new Map<string, FlagStateRow>();
    for (const definition of definitions) {
      const source = sources.get(definition.key);
      const current = targets.get(environment)?.get(definition.key);
      if (!source || !current)
        throw new Error(`flag ${definition.key} has no state in ${request.from}/${environment}`);
      const before = { ...setupOf(stateView(current)), version: current.version };
      const after = source.setup;
      const changes = describeChanges(before, after);
      const problems = await missingSegments(trx, environment, definition.key, after);
      if (problems.length === 0 && changes.length > 0) {
        try {
          await validateState(trx, environment, definition, after);
          writes.set(definition.key, await writeSetup(trx, current, after, actor, now));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          for (const field of error.errors ?? []) {
            problems.push({
              environment,
              flag: definition.key,
              kind: "invalid",
              path: field.path,
              message: `Flag "${definition.key}" would be invalid in ${environment}: ${field.path ? `${field.path}: ` : ""}${field.message}`,
            });
          }
        }
      }
      flagPlans.push({
        flag: definition.key,
        before,
        after,
        changes,
        unchanged: changes.length === 0,
        problems,
      });
    }
    plans.push({ environment, flags: flagPlans });
    written.set(environment, writes);
  }
  const problems = plans.flatMap((t) => t.flags.flatMap((f) => f.problems));
  const preview: PromotionPreview = {
    from: request.from,
    to: request.to,
    selector: request.selector,
    flags,
    sourceVersions: Object.fromEntries(flags.map((f) => [f, sources.get(f)?.version ?? 0])),
    targets: plans,
    problems,
    blocked: problems.length > 0,
    hash,
  };
  return { preview, replaced: targets, written };
}

export async function writeSetup(
  trx: Trx,
  current: FlagStateRow,
  next: StateFields,
  actor: Actor,
  now: Date,
) {
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
      version: current.version + 1,
      updated_at: now,
      updated_by: actor.name,
    })
    .where("environment_key", "=", current.environment_key)
    .where("flag_key", "=", current.flag_key)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One 400 listing every problem, each naming environment and flag. */
export function blockedError(problems: PromotionProblem[]): ValidationError {
  const first = problems[0] as PromotionProblem;
  return new ValidationError(
    `Promotion blocked: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`,
    problems.map((p) => ({
      path: `${p.environment}.${p.flag}${p.path ? `.${p.path}` : ""}`,
      message: p.message,
    })),
  );
}
