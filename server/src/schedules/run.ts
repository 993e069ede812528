/**
 * @module Applying scheduled steps. Every step is idempotent (turn on, turn off, serve a percentage), so a
 * runner applies the due step first and then advances the schedule only if no other instance advanced it
 * meanwhile: a step is never lost, and a race costs at most a repeated, harmless write. A schedule pauses,
 * with its reason in the log, while a guard of the flag is tripped or the environment is frozen, and goes
 * on by itself when that clears.
 */

import type { Serve, Variation } from "@switchyard/core";
import type { Actor } from "../auth/actor.js";
import { ANY_VERSION } from "../changes/version.js";
import { jsonb } from "../db/json.js";
import type { ScheduleLogEntry, ScheduleStep } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { getState, updateState } from "../flags/state-store.js";
import type { StateFields } from "../flags/validate-state.js";
import { activeFreeze } from "../freezes/check.js";
import { guardsTripped as realGuardsTripped } from "../guards/status.js";

type Deps = Omit<AppDeps, "rulesets">;
type GuardCheck = (db: AppDeps["db"], environment: string, flag: string) => Promise<boolean>;

const BUCKETS = 100_000;

export function describeStep(step: ScheduleStep): string {
  return step.action === "rollout" ? `rollout ${step.percentage}%` : `turn ${step.action}`;
}

/** The state a step asks for. A rollout serves the flag's "on" variation to the share, the off variation to the rest. */
export function stepChanges(
  step: ScheduleStep,
  state: StateFields,
  variations: Variation[],
): Partial<StateFields> {
  if (step.action === "on") return { on: true };
  if (step.action === "off") return { on: false };
  const target =
    variations.find((v) => v.value === true)?.key ??
    variations.find((v) => v.key !== state.offVariation)?.key ??
    state.offVariation;
  const weight = Math.round((step.percentage / 100) * BUCKETS);
  const fallthrough: Serve =
    weight >= BUCKETS || target === state.offVariation
      ? { variation: target }
      : {
          rollout: {
            weights: [
              { variation: target, weight },
              { variation: state.offVariation, weight: BUCKETS - weight },
            ],
          },
        };
  return { on: true, fallthrough };
}

async function blockedBy(
  deps: Deps,
  environment: string,
  flag: string,
  guards: GuardCheck,
): Promise<string | null> {
  if (await guards(deps.db, environment, flag)) return "a guard of the flag has tripped";
  const freeze = await activeFreeze(deps.db, [environment], deps.now());
  return freeze
    ? `${environment} is frozen until ${new Date(freeze.until).toISOString()} (${freeze.reason})`
    : null;
}

/** Applies every due step of every active schedule; pauses and resumes schedules as their blocks come and go. */
export async function runDueSchedules(deps: Deps, guards: GuardCheck = realGuardsTripped): Promise<number> {
  const now = deps.now();
  const schedules = await deps.db
    .selectFrom("schedules")
    .selectAll()
    .where("status", "in", ["active", "paused"])
    .orderBy("id")
    .execute();
  let applied = 0;
  for (const s of schedules) {
    const log = (outcome: ScheduleLogEntry["outcome"], step: number, detail: string): ScheduleLogEntry[] => [
      ...s.log,
      { at: now.toISOString(), step, outcome, detail },
    ];
    const block = await blockedBy(deps, s.environment_key, s.flag_key, guards);
    if (block) {
      if (s.status !== "paused" || s.paused_reason !== block) {
        await deps.db
          .updateTable("schedules")
          .set({ status: "paused", paused_reason: block, log: jsonb(log("paused", s.next_step, block)) })
          .where("id", "=", s.id)
          .execute();
      }
      continue;
    }
    let current = s.log;
    if (s.status === "paused") {
      current = log("resumed", s.next_step, "the block cleared");
      await deps.db
        .updateTable("schedules")
        .set({ status: "active", paused_reason: null, log: jsonb(current) })
        .where("id", "=", s.id)
        .execute();
    }
    const step = s.steps[s.next_step];
    if (!step || Date.parse(step.at) > now.getTime()) continue;
    const actor: Actor = { type: "system", id: null, name: `schedule #${s.id}`, role: "editor" };
    const label = `Scheduled step ${s.next_step + 1} of ${s.steps.length}: ${describeStep(step)}`;
    try {
      const state = await getState(deps, s.environment_key, s.flag_key);
      const flag = await deps.db
        .selectFrom("flags")
        .select("variations")
        .where("key", "=", s.flag_key)
        .executeTakeFirstOrThrow();
      await updateState(
        deps,
        actor,
        s.environment_key,
        s.flag_key,
        ANY_VERSION,
        stepChanges(step, state, flag.variations),
        label,
      );
      const last = s.next_step + 1 >= s.steps.length;
      await deps.db
        .updateTable("schedules")
        .set({
          next_step: s.next_step + 1,
          status: last ? "done" : "active",
          log: jsonb([
            ...current,
            { at: now.toISOString(), step: s.next_step, outcome: "applied", detail: label },
          ]),
        })
        .where("id", "=", s.id)
        .where("next_step", "=", s.next_step)
        .execute();
      applied++;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      await deps.db
        .updateTable("schedules")
        .set({
          status: "failed",
          log: jsonb([...current, { at: now.toISOString(), step: s.next_step, outcome: "failed", detail }]),
        })
        .where("id", "=", s.id)
        .execute();
    }
  }
  return applied;
}

/** Runs due steps every `intervalMs` (default 10 s) until stopped. */
export function startScheduleTimer(deps: Deps, options: { intervalMs?: number } = {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueSchedules(deps)
      .catch((error) => deps.logger.error({ err: error }, "scheduled steps failed"))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 10_000);
  timer.unref?.();
  return () => clearInterval(timer);
}
