/**
 * @module A tripped guard stays tripped — it no longer watches — until someone re-arms it: explicitly
 * (`POST …/guards/rearm`, audited as `guard.rearm`) or by acknowledging it when moving the dark launch on.
 * Re-arming starts its test afresh at the flag's current step; it does not touch the flag.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { GuardMetric } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { getState } from "../flags/state-store.js";
import { ConflictError, ProblemError } from "../problem/errors.js";
import { freshTest, ruleText } from "./metrics.js";
import { flagStep, testColumns } from "./observe.js";
import { type GuardView, guardView, listGuards } from "./store.js";

/** A move refused because a guard of the flag has tripped and nobody acknowledged it. */
export class GuardTrippedError extends ProblemError {
  readonly status = 409;
  readonly title = "A guard has tripped";
  readonly slug = "guard-tripped";
  constructor(detail: string, trippedGuards: GuardView[]) {
    super(detail, { extra: { trippedGuards } });
  }
}

export async function trippedGuards(deps: Pick<AppDeps, "db">, environment: string, flag: string) {
  return (await listGuards(deps, environment, flag)).filter((g) => g.status === "tripped");
}

/** "The guard "mismatch rate > 1%" tripped at … and killed the flag." */
export const tripSentence = (g: GuardView) =>
  `The guard "${ruleText(g.metric, g.limit)}" tripped at ${g.trippedAt} and ${
    g.action === "kill" ? "killed the flag" : "stopped its ramp"
  }.`;

/**
 * Re-arms the flag's tripped guards (all, or those of `metrics`); 409 when none of them is tripped.
 * Answers the re-armed guards and all the flag's guards after.
 */
export async function rearmGuards(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  environment: string,
  flag: string,
  options: { metrics?: GuardMetric[]; reason?: string } = {},
) {
  await getState(deps, environment, flag); // 404 for an unknown environment or flag
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "guard.rearm",
      targetType: "guard",
      targetKey: flag,
      environment,
      flag,
      reason: options.reason ?? null,
      before: (r: { before: GuardView[] }) => r.before,
      after: (r: { after: GuardView[] }) => r.after,
      affects: [],
    },
    async (trx) => {
      const rows = await trx
        .selectFrom("guards")
        .selectAll()
        .where("environment_key", "=", environment)
        .where("flag_key", "=", flag)
        .where("status", "=", "tripped")
        .forUpdate()
        .execute();
      const picked = rows.filter((g) => !options.metrics || options.metrics.includes(g.metric));
      if (picked.length === 0) {
        const which = options.metrics ? `${options.metrics.join(" or ")} guard` : "guard";
        throw new ConflictError(`No ${which} of ${flag} is tripped in ${environment}; nothing to re-arm.`);
      }
      const step = await flagStep(trx, environment, flag);
      const after = await trx
        .updateTable("guards")
        .set({ status: "green", tripped_at: null, trip: null, ...testColumns(freshTest(), step) })
        .where(
          "id",
          "in",
          picked.map((g) => g.id),
        )
        .returningAll()
        .execute();
      return { before: picked.map(guardView), after: after.map(guardView) };
    },
  );
  return { rearmed: result.after, guards: await listGuards(deps, environment, flag) };
}
