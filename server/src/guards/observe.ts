/**
 * @module Guards watching shadow reports. Each report steps every green guard of its flags' sequential test
 * (rows locked, so instances never double-count or both trip); the test starts afresh when the flag is at
 * another dark-launch step than the one its statistics were gathered at. A guard whose test crosses its
 * threshold trips in one transaction with its action — the flag killed, or its ramp stopped — and an audit
 * entry by the guard with the figures that tripped it (`guard.trip`, and for a kill `flag.kill` too),
 * through the common write path (commitChanges), so it is published to SDKs like any change.
 */
import type { Actor } from "../auth/actor.js";
import { commitChanges, type Trx } from "../changes/commit.js";
import { stepOf } from "../dark-launch/steps.js";
import { jsonb } from "../db/json.js";
import type { GuardAction } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { lockState, stateView, writeState } from "../flags/state-store.js";
import type { StateFields } from "../flags/validate-state.js";
import type { ShadowFlagInput } from "../shadow/schemas.js";
import { percentileMs } from "../shadow/summary.js";
import { freshTest, type GuardTest, ruleText, stepTest, thresholdOf } from "./metrics.js";
import { type GuardRow, guardView } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

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
      for (const { id, edge } of tripping) await trip(deps, id, edge).catch((e) => ignoreTripped(deps, e));
    }
  } catch (error) {
    deps.logger.error({ err: error, environment }, "guards could not evaluate a shadow report");
  }
}

function ignoreTripped(deps: Deps, error: unknown) {
  if (error instanceof AlreadyTripped) return;
  deps.logger.error({ err: error }, "a guard could not trip");
}

/** The test as the row keeps it. */
export const testOf = (g: GuardRow): GuardTest => ({
  scores: g.scores,
  sinceRestart: Number(g.since_restart),
  trials: Number(g.trials),
  events: Number(g.events),
  statistic: g.llr,
  controlLatency: g.control_latency,
  candidateLatency: g.candidate_latency,
});

/** The row's columns for a test (and the step it runs at). */
export const testColumns = (test: GuardTest, step: string | null) => ({
  scores: jsonb(test.scores),
  since_restart: test.sinceRestart,
  trials: test.trials,
  events: test.events,
  llr: test.statistic,
  control_latency: jsonb(test.controlLatency),
  candidate_latency: jsonb(test.candidateLatency),
  step,
});

/** The dark-launch step the flag is at in the environment. */
export async function flagStep(trx: Trx, environment: string, flag: string) {
  const state = await trx
    .selectFrom("flag_states")
    .selectAll()
    .where("environment_key", "=", environment)
    .where("flag_key", "=", flag)
    .executeTakeFirst();
  const definition = await trx
    .selectFrom("flags")
    .select("variations")
    .where("key", "=", flag)
    .executeTakeFirst();
  return state && definition ? stepOf(stateView(state), definition.variations) : null;
}

/** One transaction: every green guard of the flag takes the report. Returns the guards over the line. */
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
    const step = await flagStep(trx, environment, flag);
    const over: { id: number; edge: number | undefined }[] = [];
    for (const g of guards) {
      const running = g.step === step ? testOf(g) : freshTest();
      const next = stepTest(g, running, report);
      await trx.updateTable("guards").set(testColumns(next.test, step)).where("id", "=", g.id).execute();
      if (next.tripped) over.push({ id: g.id, edge: next.edge });
    }
    return over;
  });
}

/** The figures that tripped a guard, as the audit entry and the guard keep them. */
function figuresOf(guard: GuardRow, edge: number | undefined) {
  const trials = Number(guard.trials);
  const events = Number(guard.events);
  const common = {
    guard: guard.id,
    metric: guard.metric,
    limit: guard.limit,
    action: guard.action,
    step: guard.step,
    trials,
    events,
    statistic: guard.llr,
    threshold: thresholdOf(guard),
    alpha: guard.alpha,
  };
  if (guard.metric !== "latency_p95_ratio")
    return { ...common, observedRate: trials > 0 ? events / trials : 0 };
  return {
    ...common,
    controlP95AtMostMs: edge ?? null,
    candidateP95AboveMs: edge === undefined ? null : +(guard.limit * edge).toPrecision(4),
    observedP95Ms: {
      control: percentileMs(guard.control_latency, 95),
      candidate: percentileMs(guard.candidate_latency, 95),
    },
  };
}

function reasonOf(guard: GuardRow, figures: ReturnType<typeof figuresOf>): string {
  const rule = ruleText(guard.metric, guard.limit);
  const done = guard.action === "kill" ? "flag killed" : "ramp stopped";
  if (!("controlP95AtMostMs" in figures)) {
    return `${rule}: ${figures.events} of ${figures.trials} (${(figures.observedRate * 100).toFixed(2)}%); ${done}`;
  }
  const seen = figures.observedP95Ms;
  return (
    `${rule}: control p95 ≤ ${figures.controlP95AtMostMs} ms and candidate p95 > ${figures.candidateP95AboveMs} ms ` +
    `(observed p95 ${seen.control ?? "> 5000"} vs ${seen.candidate ?? "> 5000"} ms over ${figures.trials} calls); ${done}`
  );
}

/**
 * The guard trips: its action on the flag, its status and the audit entries commit together, once, on the
 * common write path. A kill is a kill: `flag.kill` by the guard (the figures in `after.trippedBy`) carries
 * the ruleset bump, so whatever follows kills — webhooks, the incident screen — hears it; `guard.trip`
 * records the guard's side (and, for a stopped ramp, the bump).
 */
async function trip(deps: Deps, guardId: number, edge: number | undefined): Promise<void> {
  const guard = await deps.db
    .selectFrom("guards")
    .selectAll()
    .where("id", "=", guardId)
    .executeTakeFirstOrThrow();
  const rule = ruleText(guard.metric, guard.limit);
  const actor: Actor = { type: "guard", id: String(guard.id), name: `guard: ${rule}`, role: "editor" };
  const figures = figuresOf(guard, edge);
  const entry = {
    actor,
    targetType: "flag_state",
    targetKey: guard.flag_key,
    environment: guard.environment_key,
    flag: guard.flag_key,
    reason: reasonOf(guard, figures),
  };
  const affects = [{ environment: guard.environment_key, flags: [guard.flag_key] }];
  await commitChanges(deps, async (trx, record) => {
    const tripped = await markTripped(trx, guardId, deps.now(), figures);
    const before = await lockState(trx, guard.environment_key, guard.flag_key);
    const current = stateView(before);
    const after = stateView(
      await writeState(trx, before, afterTrip(current, guard.action), actor, deps.now()),
    );
    const kill = guard.action === "kill";
    if (kill) {
      const killed = { ...after, trippedBy: figures };
      await record({ ...entry, action: "flag.kill", before: current, after: killed, affects }, after);
    }
    const trip = { state: after, guard: guardView(tripped) };
    await record(
      {
        ...entry,
        action: "guard.trip",
        before: { state: current },
        after: trip,
        affects: kill ? [] : affects,
      },
      tripped,
    );
  });
}

/** The guard's status, once: a guard another instance tripped first is left alone. */
async function markTripped(trx: Trx, guardId: number, now: Date, figures: unknown) {
  const locked = await trx
    .selectFrom("guards")
    .select("status")
    .where("id", "=", guardId)
    .forUpdate()
    .executeTakeFirst();
  if (locked?.status !== "green") throw new AlreadyTripped();
  return trx
    .updateTable("guards")
    .set({ status: "tripped", tripped_at: now, trip: jsonb(figures) })
    .where("id", "=", guardId)
    .returningAll()
    .executeTakeFirstOrThrow();
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
