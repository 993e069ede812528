/**
 * @module Gates of pending promotions. Approval: another editor or admin approves (the requester cannot)
 * or anyone with the editor role rejects. Soak: `advanceGates` applies a promotion once every flag has
 * been unchanged in the source for the soak time, with its guards green and its shadow mismatch rate
 * under the limit; a source that changed since the request fails the promotion (it would not apply
 * what was previewed).
 */
import type { Actor } from "../auth/actor.js";
import { roleAtLeast } from "../auth/actor.js";
import type { AppDeps } from "../deps.js";
import { ConflictError, ForbiddenError } from "../problem/errors.js";
import { summarise } from "../shadow/summary.js";
import type { Gate } from "./apply.js";
import { guardsTripped as defaultGuardCheck, type GuardCheck } from "./guard-check.js";
import { applyPending, closePending } from "./pending.js";
import type { SourceSetup } from "./plan.js";
import { personBehind } from "./store.js";

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

export async function approvePromotion(deps: Deps, actor: Actor, id: number, comment?: string) {
  if (!roleAtLeast(actor.role, "editor")) {
    throw new ForbiddenError(`Approving needs the editor or admin role; you are ${actor.role}.`);
  }
  const approver = await personBehind(deps.db, actor);
  return applyPending(deps, actor, id, {
    gate: "approval",
    comment: comment ?? null,
    check: (row) => {
      if (row.gate?.type !== "approval") {
        throw new ConflictError(`Promotion ${id} waits for a soak period, not for an approval.`);
      }
      if (row.requested_by_id === approver) {
        throw new ForbiddenError("You requested this promotion; another editor or admin must approve it.");
      }
    },
  });
}

export async function rejectPromotion(deps: Deps, actor: Actor, id: number, comment: string) {
  if (!roleAtLeast(actor.role, "editor")) {
    throw new ForbiddenError(`Rejecting needs the editor or admin role; you are ${actor.role}.`);
  }
  return closePending(deps, actor, id, { status: "rejected", gate: "approval", comment });
}

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

/**
 * Moves every pending soak-gated promotion on: applies those whose gate passed at `now`, fails those
 * that can no longer pass. Safe to run on several instances at once (applying locks the promotion).
 */
export async function advanceGates(
  deps: Deps,
  now: Date,
  options: { guardsTripped?: GuardCheck } = {},
): Promise<GateProgress> {
  const progress: GateProgress = { applied: [], failed: [], waiting: [] };
  const pending = await deps.db
    .selectFrom("promotions")
    .select(["id", "from_environment", "flags", "source_states", "gate"])
    .where("status", "=", "pending")
    .orderBy("id")
    .execute();
  const clock = { ...deps, now: () => now };
  for (const row of pending) {
    if (row.gate?.type !== "soak") continue;
    const verdict = await soakVerdict(deps, row, row.gate, now, options.guardsTripped ?? defaultGuardCheck);
    try {
      if (verdict.kind === "wait") progress.waiting.push({ id: row.id, why: verdict.why });
      else if (verdict.kind === "fail") {
        await closePending(clock, SOAK_GATE_ACTOR, row.id, {
          status: "failed",
          gate: "soak",
          comment: verdict.why,
        });
        progress.failed.push({ id: row.id, why: verdict.why });
      } else {
        await applyPending(clock, SOAK_GATE_ACTOR, row.id, { gate: "soak", details: verdict.details });
        progress.applied.push(row.id);
      }
    } catch (error) {
      if (error instanceof ConflictError) continue; // another instance moved it on first
      const why = error instanceof Error ? error.message : String(error);
      deps.logger.warn({ err: error, promotion: row.id }, "soak gate could not apply the promotion");
      await closePending(clock, SOAK_GATE_ACTOR, row.id, {
        status: "failed",
        gate: "soak",
        comment: why,
      }).catch(() => {});
      progress.failed.push({ id: row.id, why });
    }
  }
  return progress;
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
