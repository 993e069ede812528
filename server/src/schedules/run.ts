/**
 * @module Applying scheduled steps. A due step, the schedule's progress and its `schedule.step` audit entry
 * commit in one transaction holding the schedule's row lock, so a step applies exactly once however many
 * instances run. A schedule pauses (`schedule.pause`, with its reason in the log) while a guard of the flag
 * is tripped or the environment is frozen, and goes on by itself (`schedule.resume`) when that clears.
 * Steps were approved with their schedule (in an environment that requires approval) and do not ask again.
 */

import type { Serve, Variation } from "@switchyard/core";
import type { Actor } from "../auth/actor.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { FlagStateRow, ScheduleLogEntry, ScheduleStep } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { lockState, stateView, writeState } from "../flags/state-store.js";
import { type StateFields, validateState } from "../flags/validate-state.js";
import { activeFreeze } from "../freezes/check.js";
import { guardsTripped as realGuardsTripped } from "../guards/status.js";
import { FrozenError } from "../problem/errors.js";
import { setupOf } from "../promotion/setup.js";
import { describeStep, type ScheduleRow } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;
type GuardCheck = (db: AppDeps["db"], environment: string, flag: string) => Promise<boolean>;

const BUCKETS = 100_000;

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

/** The system actor a schedule's steps, pauses and resumptions are recorded by. */
const actorOf = (scheduleId: number): Actor => ({
  type: "system",
  id: null,
  name: `schedule #${scheduleId}`,
  role: "editor",
});

/** Thrown inside a step's transaction when another instance took the step first. */
class MovedOn extends Error {}

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
    const block = await blockedBy(deps, s.environment_key, s.flag_key, guards);
    if (block) {
      if (s.status !== "paused" || s.paused_reason !== block) await pause(deps, s, block);
      continue;
    }
    if (s.status === "paused") await resume(deps, s);
    const step = s.steps[s.next_step];
    if (!step || Date.parse(step.at) > now.getTime()) continue;
    try {
      await applyStep(deps, s, step);
      applied++;
    } catch (error) {
      if (error instanceof MovedOn) continue;
      // A freeze that began after the check above pauses the schedule on the next round.
      if (error instanceof FrozenError) continue;
      await fail(deps, s, error instanceof Error ? error.message : String(error));
    }
  }
  return applied;
}

/** The step, the schedule's progress and the `schedule.step` entry, in one transaction (exactly once). */
async function applyStep(deps: Deps, s: ScheduleRow, step: ScheduleStep) {
  const now = deps.now();
  const actor = actorOf(s.id);
  const label = `Scheduled step ${s.next_step + 1} of ${s.steps.length}: ${describeStep(step)}`;
  await commitChange(
    deps,
    {
      actor,
      action: "schedule.step",
      targetType: "schedule",
      targetKey: String(s.id),
      environment: s.environment_key,
      flag: s.flag_key,
      reason: label,
      before: (r: { before: FlagStateRow }) => stateView(r.before),
      after: (r: { after: FlagStateRow }) => stateView(r.after),
      affects: [{ environment: s.environment_key, flags: [s.flag_key] }],
    },
    async (trx) => {
      const current = await lockSchedule(trx, s.id);
      if (current.next_step !== s.next_step || !["active", "paused"].includes(current.status)) {
        throw new MovedOn();
      }
      const before = await lockState(trx, s.environment_key, s.flag_key);
      const definition = await trx
        .selectFrom("flags")
        .select(["key", "kind", "variations", "salt"])
        .where("key", "=", s.flag_key)
        .executeTakeFirstOrThrow();
      const state = setupOf(stateView(before));
      const next = { ...state, ...stepChanges(step, state, definition.variations) };
      await validateState(trx, s.environment_key, definition, next);
      const after = await writeState(trx, before, next, actor, now);
      const last = s.next_step + 1 >= s.steps.length;
      await trx
        .updateTable("schedules")
        .set({
          next_step: s.next_step + 1,
          status: last ? "done" : "active",
          paused_reason: null,
          log: jsonb(withLog(current, now, "applied", label)),
        })
        .where("id", "=", s.id)
        .execute();
      return { before, after };
    },
  );
}

/** A pause, resumption or failure: the schedule's status and log, audited (`schedule.<outcome>`). */
async function setStatus(
  deps: Deps,
  s: ScheduleRow,
  action: "schedule.pause" | "schedule.resume" | "schedule.fail",
  status: ScheduleRow["status"],
  detail: string,
) {
  const outcome =
    action === "schedule.pause" ? "paused" : action === "schedule.resume" ? "resumed" : "failed";
  await commitChange(
    deps,
    {
      actor: actorOf(s.id),
      action,
      targetType: "schedule",
      targetKey: String(s.id),
      environment: s.environment_key,
      flag: s.flag_key,
      reason: detail,
      before: { schedule: s.id, status: s.status, nextStep: s.next_step, steps: s.steps.length },
      after: { schedule: s.id, status, nextStep: s.next_step, steps: s.steps.length },
      affects: [],
    },
    async (trx) => {
      const current = await lockSchedule(trx, s.id);
      await trx
        .updateTable("schedules")
        .set({
          status,
          paused_reason: status === "paused" ? detail : null,
          log: jsonb(withLog(current, deps.now(), outcome, detail)),
        })
        .where("id", "=", s.id)
        .execute();
    },
  );
}

const pause = (deps: Deps, s: ScheduleRow, block: string) =>
  setStatus(deps, s, "schedule.pause", "paused", block);
const resume = (deps: Deps, s: ScheduleRow) =>
  setStatus(deps, s, "schedule.resume", "active", "the block cleared");
const fail = (deps: Deps, s: ScheduleRow, why: string) => setStatus(deps, s, "schedule.fail", "failed", why);

function withLog(
  s: Pick<ScheduleRow, "log" | "next_step">,
  at: Date,
  outcome: ScheduleLogEntry["outcome"],
  detail: string,
): ScheduleLogEntry[] {
  return [...s.log, { at: at.toISOString(), step: s.next_step, outcome, detail }];
}

async function lockSchedule(trx: Trx, id: number): Promise<ScheduleRow> {
  return trx.selectFrom("schedules").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
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
