/**
 * @module Preview, request and apply a promotion. Applying is ONE `commitChange` (`promotion.apply`):
 * every flag in every target environment is written, validated as a state write would be, or nothing is.
 */
import type { Kysely } from "kysely";
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import type { Database, PromotionGate } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError } from "../problem/errors.js";
import { affectedBy, auditAfter, type Replaced, replacedAndWritten, type Versions } from "./outcome.js";
import {
  blockedError,
  type PromotionPreview,
  type PromotionRequest,
  planPromotion,
  readSources,
  resolveRequest,
} from "./plan.js";
import { insertPromotion, nextPromotionId } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;
export type Gate = PromotionGate;

const ROLLBACK = Symbol("rollback");

/** Runs `work` in a transaction that is always rolled back, and returns what it computed. */
export async function dryRun<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>): Promise<T> {
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

export interface CreatePromotion extends PromotionRequest {
  expectedPreview: string;
  gate?: Gate;
  reason?: string;
}

/**
 * Applies now (no gate) or records a pending promotion that applies once its gates pass. Into an
 * environment that requires approval an approval is always one of them: a promotion without a gate waits
 * for one like any change there, and a soak gate waits for one as well as for its soak period.
 */
export async function createPromotion(deps: Deps, actor: Actor, input: CreatePromotion) {
  const request: PromotionRequest = { from: input.from, to: input.to, selector: input.selector };
  const gate = withRequiredApproval(input.gate, await anyRequiresApproval(deps.db, input.to));
  return gate ? requestGated(deps, actor, input, request, gate) : applyNow(deps, actor, input, request);
}

/** The gate asked for, plus an approval where a target requires one. */
export function withRequiredApproval(asked: Gate | undefined, approvalRequired: boolean): Gate | null {
  if (!approvalRequired) return asked ?? null;
  if (asked?.type === "soak") return { ...asked, approval: true };
  return { type: "approval" };
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
      environments: request.to,
      reason: input.reason ?? null,
      before: (r: { replaced: Replaced }) => ({
        promotion: id,
        replaced: r.replaced,
      }),
      after: (r: { after: unknown }) => r.after,
      affects: (r: { versions: Versions }) => affectedBy(r.versions),
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
      environments: request.to,
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
