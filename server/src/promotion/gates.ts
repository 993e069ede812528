/**
 * @module Soak gates of pending promotions (approvals are in `approval.ts`): `advanceGates` applies a
 * promotion once every flag has been unchanged in the source for the soak time, with its guards green and
 * its shadow mismatch rate under the limit — and, if it also needs an approval, once approved. A source or
 * target that changed since the request (or the approval) fails the promotion: it would not apply what was
 * reviewed. A frozen target only makes it wait.
 */
import type { Actor } from "../auth/actor.js";
import type { AppDeps } from "../deps.js";
import { ConflictError, FrozenError } from "../problem/errors.js";
import { summarise } from "../shadow/summary.js";
import type { Gate } from "./apply.js";
import { guardsTripped as defaultGuardCheck, type GuardCheck } from "./guard-check.js";
import { applyPending, closePending, TargetChangedError } from "./pending.js";
import type { SourceSetup } from "./plan.js";
import { type PromotionRow, recordedApproval } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

/** Shadow mismatch rate a soak gate accepts when the promotion names none. */
export const DEFAULT_MAX_MISMATCH_RATE = 0.01;

/** The actor that applies promotions whose soak period passed. */
export const SOAK_GATE_ACTOR: Actor = {
  type: "system",
  id: null,
  name: "promotion soak gate",
  role: "editor",
};

type SoakVerdict =
  | { kind: "pass"; details: Record<string, unknown> }
  | { kind: "wait"; why: string }
  | { kind: "fail"; why: string };

async function soakVerdict(
  deps: Deps,
  row: { from_environment: string; flags: string[]; source_states: Record<string, unknown> },
  gate: Extract<Gate, { type: "soak" }>,
  now: Date,
  guardsTripped: GuardCheck,
): Promise<SoakVerdict> {
  const limit = gate.maxMismatchRate ?? DEFAULT_MAX_MISMATCH_RATE;
  const details: Record<string, unknown> = {};
  for (const flag of row.flags) {
    const pinned = row.source_states[flag] as SourceSetup | undefined;
    const current = await deps.db
      .selectFrom("flag_states")
      .select(["version", "updated_at"])
      .where("environment_key", "=", row.from_environment)
      .where("flag_key", "=", flag)
      .executeTakeFirst();
    if (!current || !pinned || current.version !== pinned.version) {
      return {
        kind: "fail",
        why: `Flag "${flag}" changed in ${row.from_environment} since the promotion was requested; preview and request it again.`,
      };
    }
    const liveSince = new Date(current.updated_at);
    const liveMinutes = (now.getTime() - liveSince.getTime()) / 60_000;
    if (liveMinutes < gate.minutes) {
      return {
        kind: "wait",
        why: `"${flag}" live for ${Math.floor(liveMinutes)} of ${gate.minutes} minutes`,
      };
    }
    if (await guardsTripped(deps.db, row.from_environment, flag)) {
      return { kind: "wait", why: `a guard of "${flag}" is tripped in ${row.from_environment}` };
    }
    const shadowRows = await deps.db
      .selectFrom("shadow_reports")
      .selectAll()
      .where("environment_key", "=", row.from_environment)
      .where("flag_key", "=", flag)
      .where("minute", ">=", liveSince)
      .where("minute", "<=", now)
      .execute();
    const { totals } = summarise(shadowRows, gate.minutes);
    if (totals.mismatchRate > limit) {
      return {
        kind: "wait",
        why: `shadow mismatch rate of "${flag}" is ${(totals.mismatchRate * 100).toFixed(2)}% (limit ${(limit * 100).toFixed(2)}%)`,
      };
    }
    details[flag] = {
      liveSince: liveSince.toISOString(),
      liveMinutes: Math.floor(liveMinutes),
      guardsGreen: true,
      shadowMismatchRate: totals.mismatchRate,
      shadowCompared: totals.matches + totals.mismatches,
    };
  }
  return { kind: "pass", details: { minutes: gate.minutes, maxMismatchRate: limit, flags: details } };
}

export interface GateProgress {
  applied: number[];
  failed: { id: number; why: string }[];
  waiting: { id: number; why: string }[];
}

type PendingRow = Pick<
  PromotionRow,
  "id" | "from_environment" | "flags" | "source_states" | "gate" | "preview_hash"
>;

/**
 * Moves every pending soak-gated promotion on: applies those whose gates passed at `now`, fails those
 * that can no longer pass, and leaves waiting those still soaking, waiting for their approval or whose
 * targets are frozen. Safe to run on several instances at once (applying locks the promotion).
 */
export async function advanceGates(
  deps: Deps,
  now: Date,
  options: { guardsTripped?: GuardCheck; only?: number } = {},
): Promise<GateProgress> {
  const progress: GateProgress = { applied: [], failed: [], waiting: [] };
  let query = deps.db
    .selectFrom("promotions")
    .select(["id", "from_environment", "flags", "source_states", "gate", "preview_hash"])
    .where("status", "=", "pending")
    .orderBy("id");
  if (options.only !== undefined) query = query.where("id", "=", options.only);
  const clock = { ...deps, now: () => now };
  for (const row of await query.execute()) {
    if (row.gate?.type !== "soak") continue;
    const outcome = await advanceOne(clock, row, row.gate, options.guardsTripped ?? defaultGuardCheck);
    if (outcome.kind === "applied") progress.applied.push(row.id);
    else if (outcome.kind === "failed") progress.failed.push({ id: row.id, why: outcome.why });
    else if (outcome.kind === "waiting") progress.waiting.push({ id: row.id, why: outcome.why });
  }
  return progress;
}

type Outcome = { kind: "applied" } | { kind: "failed" | "waiting"; why: string } | { kind: "moved-on" };

async function advanceOne(
  deps: Deps,
  row: PendingRow,
  gate: Extract<Gate, { type: "soak" }>,
  guardsTripped: GuardCheck,
): Promise<Outcome> {
  const fail = async (why: string): Promise<Outcome> => {
    await closePending(deps, SOAK_GATE_ACTOR, row.id, { status: "failed", gate: "soak", comment: why }).catch(
      (error) => deps.logger.warn({ err: error, promotion: row.id }, "could not fail the promotion"),
    );
    return { kind: "failed", why };
  };
  const verdict = await soakVerdict(deps, row, gate, deps.now(), guardsTripped);
  if (verdict.kind === "fail") return fail(verdict.why);
  if (verdict.kind === "wait") return { kind: "waiting", why: verdict.why };
  const approval = gate.approval ? await recordedApproval(deps.db, row.id) : null;
  if (gate.approval && !approval) return { kind: "waiting", why: "waiting for an approval" };
  try {
    await applyPending(deps, SOAK_GATE_ACTOR, row.id, {
      gate: "soak",
      details: verdict.details,
      accept: [approval?.preview ?? row.preview_hash],
    });
    return { kind: "applied" };
  } catch (error) {
    // A freeze does not fail the promotion: it applies once the freeze is over.
    if (error instanceof FrozenError) return { kind: "waiting", why: error.message };
    if (error instanceof TargetChangedError) {
      return fail(
        `${error.changed.join(", ")} changed since the promotion was ${approval ? "approved" : "requested"}; preview and request it again.`,
      );
    }
    if (error instanceof ConflictError) return { kind: "moved-on" }; // another instance moved it on first
    deps.logger.warn({ err: error, promotion: row.id }, "soak gate could not apply the promotion");
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** Runs {@link advanceGates} every `intervalMs` (default 30 s) with the deps' clock; returns `stop`. */
export function startGateTimer(
  deps: Deps,
  options: { intervalMs?: number; guardsTripped?: GuardCheck } = {},
) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    advanceGates(deps, deps.now(), options)
      .catch((error) => deps.logger.error({ err: error }, "promotion gates failed"))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
