/**
 * @module Guards watching shadow reports. Each report steps every green guard of its flags' sequential test
 * (rows locked, so instances never double-count or both trip); a guard whose test crosses its threshold
 * trips in one transaction with its action — the flag killed, or its ramp stopped — and an audit entry by
 * the guard with the figures that tripped it, published to SDKs like any change.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import { jsonb } from "../db/json.js";
import type { GuardAction } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { lockState, stateView, writeState } from "../flags/state-store.js";
import type { StateFields } from "../flags/validate-state.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { addHistograms, countsFor, testedRates } from "./metrics.js";
import { sprtStep } from "./sprt.js";
import { guardView } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

const METRIC_TEXT = {
  mismatch_rate: (limit: number) => `mismatch rate > ${+(limit * 100).toFixed(3)}%`,
  error_rate: (limit: number) => `candidate error rate > ${+(limit * 100).toFixed(3)}%`,
  latency_p95_ratio: (limit: number) => `candidate p95 latency > ${limit}× control`,
};

class AlreadyTripped extends Error {}

/** Steps the guards of the reported flags; trips those whose test crosses the line. Never throws. */
export async function observeShadowReport(
  deps: Deps,
  environment: string,
  flags: Record<string, ShadowFlagInput>,
): Promise<void> {
  const keys = Object.keys(flags);
  if (keys.length === 0) return;
  try {
    const watched = await deps.db
      .selectFrom("guards")
      .select("flag_key")
      .distinct()
      .where("environment_key", "=", environment)
      .where("flag_key", "in", keys)
      .where("status", "=", "green")
      .execute();
    for (const { flag_key } of watched) {
      const report = flags[flag_key] as ShadowFlagInput;
      const tripping = await stepGuards(deps, environment, flag_key, report);
      for (const id of tripping) await trip(deps, id).catch((e) => ignoreTripped(deps, e));
    }
  } catch (error) {
    deps.logger.error({ err: error, environment }, "guards could not evaluate a shadow report");
  }
}

function ignoreTripped(deps: Deps, error: unknown) {
  if (error instanceof AlreadyTripped) return;
  deps.logger.error({ err: error }, "a guard could not trip");
}

/** One transaction: every green guard of the flag takes the report's counts. Returns the ids over the line. */
async function stepGuards(deps: Deps, environment: string, flag: string, report: ShadowFlagInput) {
  return deps.db.transaction().execute(async (trx) => {
    const guards = await trx
      .selectFrom("guards")
      .selectAll()
      .where("environment_key", "=", environment)
      .where("flag_key", "=", flag)
      .where("status", "=", "green")
      .forUpdate()
      .execute();
    const over: number[] = [];
    for (const g of guards) {
      const counts = countsFor(g.metric, g.limit, report, g.control_latency);
      const controlLatency = addHistograms(g.control_latency, report.controlLatency);
      const step = sprtStep(
        { ...testedRates(g.metric, g.limit), alpha: g.alpha },
        { llr: g.llr, trials: Number(g.trials), events: Number(g.events) },
        counts.trials,
        counts.events,
      );
      await trx
        .updateTable("guards")
        .set({
          llr: step.state.llr,
          trials: step.state.trials,
          events: step.state.events,
          control_latency: jsonb(controlLatency),
        })
        .where("id", "=", g.id)
        .execute();
      if (step.tripped) over.push(g.id);
    }
    return over;
  });
}

/** The guard trips: its action on the flag, its status and the audit entry commit together, once. */
async function trip(deps: Deps, guardId: number): Promise<void> {
  const guard = await deps.db
    .selectFrom("guards")
    .selectAll()
    .where("id", "=", guardId)
    .executeTakeFirstOrThrow();
  const rule = METRIC_TEXT[guard.metric](guard.limit);
  const actor: Actor = { type: "guard", id: String(guard.id), name: `guard: ${rule}`, role: "editor" };
  const figures = {
    guard: guard.id,
    metric: guard.metric,
    limit: guard.limit,
    action: guard.action,
    trials: Number(guard.trials),
    events: Number(guard.events),
    observedRate: Number(guard.trials) > 0 ? Number(guard.events) / Number(guard.trials) : 0,
    llr: guard.llr,
    threshold: Math.log(1 / guard.alpha),
    alpha: guard.alpha,
  };
  await commitChange(
    deps,
    {
      actor,
      action: "guard.trip",
      targetType: "flag_state",
      targetKey: guard.flag_key,
      environment: guard.environment_key,
      flag: guard.flag_key,
      reason: `${rule}: ${figures.events} of ${figures.trials} (${(figures.observedRate * 100).toFixed(2)}%); ${guard.action === "kill" ? "flag killed" : "ramp stopped"}`,
      before: (r: { before: unknown }) => r.before,
      after: (r: { after: unknown }) => r.after,
      affects: [{ environment: guard.environment_key, flags: [guard.flag_key] }],
    },
    async (trx) => {
      const locked = await trx
        .selectFrom("guards")
        .select("status")
        .where("id", "=", guardId)
        .forUpdate()
        .executeTakeFirst();
      if (locked?.status !== "green") throw new AlreadyTripped();
      const tripped = await trx
        .updateTable("guards")
        .set({ status: "tripped", tripped_at: deps.now(), trip: jsonb(figures) })
        .where("id", "=", guardId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const before = await lockState(trx, guard.environment_key, guard.flag_key);
      const current = stateView(before);
      const next = afterTrip(current, guard.action);
      const after = await writeState(trx, before, next, actor, deps.now());
      return { before: { state: current }, after: { state: stateView(after), guard: guardView(tripped) } };
    },
  );
}

/** `kill` turns the flag off; `stop_ramp` serves the control wherever the candidate was served. */
export function afterTrip(state: StateFields, action: GuardAction): StateFields {
  if (action === "kill") return { ...state, on: false };
  const candidate = state.shadow?.candidateVariation;
  if (!candidate) return { ...state, on: false };
  const control =
    state.offVariation !== candidate
      ? state.offVariation
      : (("variation" in state.fallthrough ? state.fallthrough.variation : undefined) ?? state.offVariation);
  const serveControl = (serve: StateFields["fallthrough"]): StateFields["fallthrough"] =>
    "variation" in serve
      ? serve.variation === candidate
        ? { variation: control }
        : serve
      : serve.rollout.weights.some((w) => w.variation === candidate && w.weight > 0)
        ? { variation: control }
        : serve;
  return {
    ...state,
    targets: state.targets.filter((t) => t.variation !== candidate),
    rules: state.rules.map((r) => ({ ...r, serve: serveControl(r.serve) })),
    fallthrough: serveControl(state.fallthrough),
  };
}
