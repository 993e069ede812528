/**
 * @module Preview, request and apply a promotion. Applying is ONE `commitChange` (`promotion.apply`):
 * every flag in every target environment is written, validated as a state write would be, or nothing is.
 */
import type { Kysely } from "kysely";
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { Database, PromotionGate } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError } from "../problem/errors.js";
import {
  blockedError,
  type FlagDefinition,
  type PromotionPreview,
  type PromotionRequest,
  planPromotion,
  readSources,
  resolveRequest,
  type SourceSetup,
} from "./plan.js";
import { actorIdentity, lockPromotion, nextPromotionId, recordGateEvent } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;
export type Gate = PromotionGate;

const ROLLBACK = Symbol("rollback");

/** Runs `work` in a transaction that is always rolled back, and returns what it computed. */
async function dryRun<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>): Promise<T> {
  let out: { value: T } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      out = { value: await work(trx) };
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return (out as { value: T }).value;
}

/** What the targets would serve after the promotion, per environment and flag. Changes nothing. */
export async function previewPromotion(
  deps: Deps,
  actor: Actor,
  request: PromotionRequest,
): Promise<PromotionPreview> {
  return dryRun(deps.db, async (trx) => {
    const definitions = await resolveRequest(trx, request);
    const sources = await readSources(
      trx,
      request.from,
      definitions.map((d) => d.key),
    );
    return (await planPromotion(trx, { request, definitions, sources, actor, now: deps.now() })).preview;
  });
}

function assertPreviewed(preview: PromotionPreview, expected: string) {
  if (preview.hash !== expected) {
    throw new ConflictError(
      "The source or target setups changed since this preview; review the new preview and promote again.",
      preview,
    );
  }
  if (preview.blocked) throw blockedError(preview.problems);
}

type Written = Map<string, Map<string, { version: number }>>;

/** What an applied promotion records: the target setups it replaced and the versions it wrote. */
function replacedAndWritten(preview: PromotionPreview, written: Written) {
  const replaced: Record<string, Record<string, unknown>> = {};
  const versions: Record<string, Record<string, number>> = {};
  for (const target of preview.targets) {
    const writes = written.get(target.environment);
    for (const plan of target.flags) {
      const row = writes?.get(plan.flag);
      if (!row) continue;
      replaced[target.environment] = { ...replaced[target.environment], [plan.flag]: plan.before };
      versions[target.environment] = { ...versions[target.environment], [plan.flag]: row.version };
    }
  }
  return { replaced, versions };
}

/** The audit entry's `after`: every flag in every environment, with its new version or "unchanged". */
function auditAfter(id: number, preview: PromotionPreview, versions: Record<string, Record<string, number>>) {
  return {
    promotion: id,
    from: preview.from,
    to: preview.to,
    flags: preview.flags,
    environments: Object.fromEntries(
      preview.targets.map((t) => [
        t.environment,
        Object.fromEntries(
          t.flags.map((f) => [
            f.flag,
            f.unchanged
              ? { unchanged: true }
              : { version: versions[t.environment]?.[f.flag], changes: f.changes },
          ]),
        ),
      ]),
    ),
  };
}

function affectedBy(versions: Record<string, Record<string, number>>) {
  return Object.entries(versions).map(([environment, flags]) => ({ environment, flags: Object.keys(flags) }));
}

export interface CreatePromotion extends PromotionRequest {
  expectedPreview: string;
  gate?: Gate;
  reason?: string;
}

/**
 * Applies now (no gate) or records a pending promotion that applies once its gate passes. A promotion
 * without a gate into an environment that requires approval waits for an approval like any change there.
 */
export async function createPromotion(deps: Deps, actor: Actor, input: CreatePromotion) {
  const request: PromotionRequest = { from: input.from, to: input.to, selector: input.selector };
  const gate =
    input.gate ?? ((await anyRequiresApproval(deps.db, input.to)) ? { type: "approval" as const } : null);
  return gate ? requestGated(deps, actor, input, request, gate) : applyNow(deps, actor, input, request);
}

async function anyRequiresApproval(db: Kysely<Database>, environments: string[]): Promise<boolean> {
  const protectedEnv = await db
    .selectFrom("environments")
    .select("key")
    .where("key", "in", environments)
    .where("requires_approval", "=", true)
    .executeTakeFirst();
  return protectedEnv !== undefined;
}

async function applyNow(deps: Deps, actor: Actor, input: CreatePromotion, request: PromotionRequest) {
  const id = await nextPromotionId(deps.db);
  const now = deps.now();
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "promotion.apply",
      targetType: "promotion",
      targetKey: String(id),
      environment: request.to.length === 1 ? request.to[0] : null,
      reason: input.reason ?? null,
      before: (r: { replaced: Record<string, Record<string, unknown>> }) => ({
        promotion: id,
        replaced: r.replaced,
      }),
      after: (r: { after: unknown }) => r.after,
      affects: (r: { versions: Record<string, Record<string, number>> }) => affectedBy(r.versions),
    },
    async (trx) => {
      const definitions = await resolveRequest(trx, request);
      const sources = await readSources(
        trx,
        request.from,
        definitions.map((d) => d.key),
      );
      const planned = await planPromotion(trx, { request, definitions, sources, actor, now });
      assertPreviewed(planned.preview, input.expectedPreview);
      const { replaced, versions } = replacedAndWritten(planned.preview, planned.written);
      await insertPromotion(trx, id, {
        actor,
        request,
        flags: planned.preview.flags,
        preview: planned.preview,
        sources,
        gate: null,
        reason: input.reason,
        now,
        applied: { replaced, versions },
      });
      return { replaced, versions, after: auditAfter(id, planned.preview, versions) };
    },
  );
  return { id, status: "applied" as const, ...result, rulesetVersions };
}

async function requestGated(
  deps: Deps,
  actor: Actor,
  input: CreatePromotion,
  request: PromotionRequest,
  gate: Gate,
) {
  const previewed = await dryRun(deps.db, async (trx) => {
    const definitions = await resolveRequest(trx, request);
    const sources = await readSources(
      trx,
      request.from,
      definitions.map((d) => d.key),
    );
    const planned = await planPromotion(trx, { request, definitions, sources, actor, now: deps.now() });
    return { preview: planned.preview, sources };
  });
  assertPreviewed(previewed.preview, input.expectedPreview);
  const id = await nextPromotionId(deps.db);
  await commitChange(
    deps,
    {
      actor,
      action: "promotion.request",
      targetType: "promotion",
      targetKey: String(id),
      environment: request.to.length === 1 ? request.to[0] : null,
      reason: input.reason ?? null,
      before: null,
      after: { promotion: id, from: request.from, to: request.to, flags: previewed.preview.flags, gate },
      affects: [],
    },
    (trx) =>
      insertPromotion(trx, id, {
        actor,
        request,
        flags: previewed.preview.flags,
        preview: previewed.preview,
        sources: previewed.sources,
        gate,
        reason: input.reason,
        now: deps.now(),
      }),
  );
  return { id, status: "pending" as const };
}

async function insertPromotion(
  trx: Trx,
  id: number,
  p: {
    actor: Actor;
    request: PromotionRequest;
    flags: string[];
    preview: PromotionPreview;
    sources: Map<string, SourceSetup>;
    gate: Gate | null;
    reason?: string;
    now: Date;
    applied?: {
      replaced: Record<string, Record<string, unknown>>;
      versions: Record<string, Record<string, number>>;
    };
  },
) {
  await trx
    .insertInto("promotions")
    .values({
      id,
      from_environment: p.request.from,
      to_environments: jsonb(p.request.to),
      selector: jsonb(p.request.selector),
      flags: jsonb(p.flags),
      gate: p.gate ? jsonb(p.gate) : null,
      status: p.applied ? "applied" : "pending",
      preview_hash: p.preview.hash,
      preview: jsonb(p.preview),
      source_states: jsonb(Object.fromEntries(p.sources)),
      replaced_states: p.applied ? jsonb(p.applied.replaced) : null,
      applied_versions: p.applied ? jsonb(p.applied.versions) : null,
      reason: p.reason ?? null,
      requested_by: p.actor.name,
      requested_by_id: actorIdentity(p.actor),
      requested_at: p.now,
      applied_by: p.applied ? p.actor.name : null,
      applied_at: p.applied ? p.now : null,
    })
    .execute();
}

/**
 * Applies a pending promotion whose gate just passed: the source setups pinned when it was requested
 * (what the requester previewed) go to the targets as they are now. The gate record and the writes
 * commit together, or neither does (and the promotion stays pending).
 */
export async function applyPending(
  deps: Deps,
  actor: Actor,
  id: number,
  passed: {
    gate: "approval" | "soak";
    comment?: string | null;
    details?: unknown;
    check?: (row: { requested_by_id: string; gate: Gate | null }) => void;
  },
) {
  const now = deps.now();
  const { result, rulesetVersions } = await commitChange(
    deps,
    {
      actor,
      action: "promotion.apply",
      targetType: "promotion",
      targetKey: String(id),
      reason: passed.comment ?? null,
      before: (r: { replaced: Record<string, Record<string, unknown>> }) => ({
        promotion: id,
        replaced: r.replaced,
      }),
      after: (r: { after: Record<string, unknown> }) => ({ ...r.after, gate: passed.gate }),
      affects: (r: { versions: Record<string, Record<string, number>> }) => affectedBy(r.versions),
    },
    async (trx) => {
      const row = await lockPromotion(trx, id);
      if (row.status !== "pending") throw new ConflictError(`Promotion ${id} is ${row.status}, not pending.`);
      passed.check?.(row);
      const request: PromotionRequest = {
        from: row.from_environment,
        to: row.to_environments,
        selector: { flags: row.flags },
      };
      const definitions: FlagDefinition[] = await resolveRequest(trx, request);
      const sources = new Map(Object.entries(row.source_states as Record<string, SourceSetup>));
      const planned = await planPromotion(trx, { request, definitions, sources, actor, now });
      if (planned.preview.blocked) throw blockedError(planned.preview.problems);
      const { replaced, versions } = replacedAndWritten(planned.preview, planned.written);
      await recordGateEvent(trx, id, {
        gate: passed.gate,
        outcome: "passed",
        actor,
        comment: passed.comment,
        details: passed.details,
        at: now,
      });
      await trx
        .updateTable("promotions")
        .set({
          status: "applied",
          replaced_states: jsonb(replaced),
          applied_versions: jsonb(versions),
          applied_by: actor.name,
          applied_at: now,
        })
        .where("id", "=", id)
        .execute();
      return { replaced, versions, after: auditAfter(id, planned.preview, versions) };
    },
  );
  return { id, status: "applied" as const, ...result, rulesetVersions };
}

/** Closes a pending promotion without applying it (rejected by a person, or failed by its gate). */
export async function closePending(
  deps: Deps,
  actor: Actor,
  id: number,
  outcome: { status: "rejected" | "failed"; gate: "approval" | "soak"; comment: string; details?: unknown },
) {
  const now = deps.now();
  await commitChange(
    deps,
    {
      actor,
      action: outcome.status === "rejected" ? "promotion.reject" : "promotion.fail",
      targetType: "promotion",
      targetKey: String(id),
      reason: outcome.comment,
      before: { promotion: id, status: "pending" },
      after: { promotion: id, status: outcome.status },
      affects: [],
    },
    async (trx) => {
      const row = await lockPromotion(trx, id);
      if (row.status !== "pending") throw new ConflictError(`Promotion ${id} is ${row.status}, not pending.`);
      await recordGateEvent(trx, id, {
        gate: outcome.gate,
        outcome: outcome.status === "rejected" ? "rejected" : "failed",
        actor,
        comment: outcome.comment,
        details: outcome.details,
        at: now,
      });
      await trx
        .updateTable("promotions")
        .set({ status: outcome.status, error: outcome.status === "failed" ? outcome.comment : null })
        .where("id", "=", id)
        .execute();
    },
  );
  return { id, status: outcome.status };
}
