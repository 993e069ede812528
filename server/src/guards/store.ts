/**
 * @module Guards of a flag in an environment: read them with their status, replace the set (audited; a
 * guard whose settings change starts its test afresh), and ask whether any has tripped.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { GuardAction, GuardMetric } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { getState } from "../flags/state-store.js";
import { thresholdOf } from "./metrics.js";

export interface GuardInput {
  metric: GuardMetric;
  limit: number;
  action: GuardAction;
  alpha?: number;
}

export interface GuardView extends Required<GuardInput> {
  id: number;
  status: "green" | "tripped";
  /** Trials since the test started, and the events among them (latency: surely slow candidate calls). */
  trials: number;
  events: number;
  /** The sequential test's statistic (its highest CUSUM score) and the value at which it trips. */
  llr: number;
  threshold: number;
  /** The dark-launch step the test's statistics were gathered at (null before the first report). */
  step: string | null;
  trippedAt: string | null;
  trip: unknown;
}

export const DEFAULT_ALPHA = 0.01;

export type GuardRow = Awaited<ReturnType<typeof selectGuards>>[number];
type Row = GuardRow;

function selectGuards(db: AppDeps["db"], environment: string, flag: string) {
  return db
    .selectFrom("guards")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("flag_key", "=", flag)
    .orderBy("id")
    .execute();
}

export const guardView = (row: Row): GuardView => ({
  id: row.id,
  metric: row.metric,
  limit: row.limit,
  action: row.action,
  alpha: row.alpha,
  status: row.status,
  trials: Number(row.trials),
  events: Number(row.events),
  llr: row.llr,
  threshold: thresholdOf(row),
  step: row.step,
  trippedAt: row.tripped_at ? new Date(row.tripped_at).toISOString() : null,
  trip: row.trip,
});

export async function listGuards(deps: Pick<AppDeps, "db">, environment: string, flag: string) {
  await getState(deps, environment, flag); // 404 for an unknown environment or flag
  return (await selectGuards(deps.db, environment, flag)).map(guardView);
}

const sameSettings = (row: Row, g: GuardInput) =>
  row.limit === g.limit && row.action === g.action && row.alpha === (g.alpha ?? DEFAULT_ALPHA);

/** Replaces the flag's guards in the environment. Unchanged guards keep their running test and status. */
export async function replaceGuards(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  environment: string,
  flag: string,
  guards: GuardInput[],
) {
  await getState(deps, environment, flag);
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "guard.update",
      targetType: "guard",
      targetKey: flag,
      environment,
      flag,
      before: (r: { before: GuardView[] }) => r.before,
      after: (r: { after: GuardView[] }) => r.after,
      affects: [],
    },
    async (trx) => {
      const before = await trx
        .selectFrom("guards")
        .selectAll()
        .where("environment_key", "=", environment)
        .where("flag_key", "=", flag)
        .forUpdate()
        .execute();
      const byMetric = new Map(before.map((row) => [row.metric, row]));
      const keep = guards.filter((g) => {
        const row = byMetric.get(g.metric);
        return row && sameSettings(row, g);
      });
      const kept = new Set(keep.map((g) => g.metric));
      const drop = before.filter((row) => !kept.has(row.metric)).map((row) => row.id);
      if (drop.length) await trx.deleteFrom("guards").where("id", "in", drop).execute();
      const fresh = guards.filter((g) => !kept.has(g.metric));
      if (fresh.length) {
        await trx
          .insertInto("guards")
          .values(
            fresh.map((g) => ({
              environment_key: environment,
              flag_key: flag,
              metric: g.metric,
              limit: g.limit,
              action: g.action,
              alpha: g.alpha ?? DEFAULT_ALPHA,
            })),
          )
          .execute();
      }
      const after = await trx
        .selectFrom("guards")
        .selectAll()
        .where("environment_key", "=", environment)
        .where("flag_key", "=", flag)
        .orderBy("id")
        .execute();
      return { before: before.map(guardView), after: after.map(guardView) };
    },
  );
  return result.after;
}

/** Whether any guard of the flag has tripped in the environment (schedules and promotions pause on it). */
export async function guardsTripped(db: AppDeps["db"], environment: string, flag: string): Promise<boolean> {
  const row = await db
    .selectFrom("guards")
    .select("id")
    .where("environment_key", "=", environment)
    .where("flag_key", "=", flag)
    .where("status", "=", "tripped")
    .executeTakeFirst();
  return row !== undefined;
}
