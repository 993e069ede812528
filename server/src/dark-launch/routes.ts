/**
 * @module `/api/v1/environments/{env}/flags/{flag}/dark-launch`: where a flag is on the strangler path
 * (see steps.ts) and the one-click move to the next step, saved as an ordinary versioned state edit.
 * While a guard of the flag is tripped the move is refused (409, naming the trip) unless it says
 * `rearmGuards: true`: then the guards are re-armed (audited) before the move, so they watch the new step.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import { ChangeRequestSchema } from "../change-requests/routes.js";
import { submitStateChange } from "../change-requests/store.js";
import { assertVersion, baseVersion } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import { FlagStateSchema } from "../flags/schemas.js";
import { getState } from "../flags/state-store.js";
import { getFlag } from "../flags/store.js";
import type { StateFields } from "../flags/validate-state.js";
import { GuardTrippedError, rearmGuards, trippedGuards, tripSentence } from "../guards/rearm.js";
import {
  ifMatchHeader,
  jsonBody,
  jsonResponse,
  ProblemSchema,
  RulesetVersionsSchema,
  standardProblems,
  writeProblems,
} from "../openapi/route.js";
import { ValidationError } from "../problem/errors.js";
import { EnvFlagParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { advance, currentStep, STEPS, StepError } from "./steps.js";

const Params = EnvFlagParam;
const StepEnum = z.enum(STEPS);
const StepViewSchema = z.object({
  step: StepEnum,
  next: StepEnum.nullable(),
  candidate: z.string(),
  control: z.string(),
  percentage: z.number(),
  pilotSegment: z.string().nullable(),
  shadowSampleRate: z.number(),
});
const TrippedGuardSchema = z.object({
  id: z.number().int(),
  metric: z.enum(["mismatch_rate", "error_rate", "latency_p95_ratio"]),
  limit: z.number(),
  action: z.enum(["kill", "stop_ramp"]),
  trippedAt: z.string().nullable(),
  trip: z.unknown(),
});
const DarkLaunchSchema = StepViewSchema.extend({
  environment: z.string(),
  flag: z.string(),
  version: z.number().int(),
  /** Done in every environment: the old code path and the flag can be removed. */
  readyForRemoval: z.boolean(),
  trippedGuards: z.array(TrippedGuardSchema).openapi({
    description: "Guards that tripped and no longer watch; moving on needs `rearmGuards: true`.",
  }),
});
const AdvanceSchema = z
  .object({
    to: StepEnum.exclude(["off"]).optional(),
    segment: z.string().min(1).optional(),
    percentage: z.number().gt(0).lt(100).optional(),
    sampleRate: z.number().min(0).max(100).optional(),
    candidate: z.string().min(1).optional(),
    control: z.string().min(1).optional(),
    version: z.number().int().optional(),
    reason: z.string().max(1000).optional(),
    rearmGuards: z.boolean().optional().openapi({
      description: "Acknowledge tripped guards: re-arm them and move on (else 409 while any is).",
    }),
  })
  .strict();
const tags = ["Dark launch"];

const getRoute = createRoute({
  method: "get",
  path: "/environments/{env}/flags/{flag}/dark-launch",
  tags,
  summary: "The step of the dark-launch path the flag is at (off, shadow, pilot, rollout, done)",
  request: { params: Params },
  responses: { 200: jsonResponse(DarkLaunchSchema, "The step"), ...standardProblems },
});
const advanceRoute = createRoute({
  method: "post",
  path: "/environments/{env}/flags/{flag}/dark-launch/advance",
  tags,
  summary: "Move to the next step (or `to`): shadow → pilot cohort → percentage → 100%",
  request: { params: Params, headers: ifMatchHeader, body: jsonBody(AdvanceSchema) },
  responses: {
    200: jsonResponse(
      z.object({
        darkLaunch: StepViewSchema,
        state: FlagStateSchema,
        version: z.number().int(),
        rulesetVersions: RulesetVersionsSchema,
      }),
      "Moved",
    ),
    202: jsonResponse(z.object({ changeRequest: ChangeRequestSchema }), "Filed as a change request"),
    ...writeProblems,
    409: {
      description: "A stale version (`current`), or a tripped guard not acknowledged (`trippedGuards`).",
      content: {
        "application/problem+json": {
          schema: ProblemSchema.extend({ trippedGuards: z.array(TrippedGuardSchema).optional() }),
        },
      },
    },
  },
});

const fieldsOf = ({ on, offVariation, targets, rules, fallthrough, prerequisites, shadow }: StateFields) => ({
  on,
  offVariation,
  targets,
  rules,
  fallthrough,
  prerequisites,
  shadow,
});

function stepping<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StepError) throw ValidationError.field(error.field, error.message);
    throw error;
  }
}

export function darkLaunchRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/environments/:env/flags/:flag/dark-launch/*", editorForWrites());

  app.openapi(getRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const [definition, state] = await Promise.all([getFlag(deps, flag), getState(deps, env, flag)]);
    const view = stepping(() => currentStep(state, definition.variations));
    const others = await deps.db.selectFrom("flag_states").selectAll().where("flag_key", "=", flag).execute();
    const readyForRemoval = others.every((row) => {
      try {
        const rowState = { ...fieldsOf(state), on: row.on, rules: row.rules, fallthrough: row.fallthrough };
        return currentStep({ ...rowState, shadow: row.shadow }, definition.variations).step === "done";
      } catch {
        return false;
      }
    });
    const tripped = (await trippedGuards(deps, env, flag)).map(
      ({ id, metric, limit, action, trippedAt, trip }) => ({
        id,
        metric,
        limit,
        action,
        trippedAt,
        trip,
      }),
    );
    return c.json(
      { environment: env, flag, version: state.version, readyForRemoval, trippedGuards: tripped, ...view },
      200,
    );
  });

  app.openapi(advanceRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const { version, reason, rearmGuards: acknowledged, ...input } = c.req.valid("json");
    const [definition, state] = await Promise.all([getFlag(deps, flag), getState(deps, env, flag)]);
    const before = stepping(() => currentStep(state, definition.variations));
    const next = stepping(() => advance(fieldsOf(state), definition.variations, input));
    const after = stepping(() => currentStep(next, definition.variations));
    // The edit is based on the state just read unless the caller names a version (then a stale one is a 409).
    const base = baseVersion(c, version) ?? state.version;
    const tripped = await trippedGuards(deps, env, flag);
    if (tripped.length > 0 && !acknowledged) {
      throw new GuardTrippedError(
        `${tripped.map(tripSentence).join(" ")} It no longer watches ${flag} in ${env}: re-arm it ` +
          "(POST …/guards/rearm) or send rearmGuards: true to re-arm it with this move.",
        tripped,
      );
    }
    if (tripped.length > 0) {
      assertVersion(base, state.version, state); // a stale move re-arms nothing
      await rearmGuards(deps, c.get("actor"), env, flag, {
        reason: `Acknowledged to move the dark launch: ${before.step} → ${describe(after)}`,
      });
    }
    const outcome = await submitStateChange(
      deps,
      c.get("actor"),
      env,
      flag,
      base,
      next,
      reason ?? `Dark launch: ${before.step} → ${describe(after)}`,
    );
    // In an environment that requires approval the move waits as a change request.
    if (outcome.kind === "requested") return c.json({ changeRequest: outcome.changeRequest }, 202);
    return c.json({ darkLaunch: after, ...outcome.applied }, 200);
  });
  return app;
}

const describe = (view: { step: string; percentage: number; pilotSegment: string | null }) =>
  view.step === "rollout"
    ? `rollout ${view.percentage}%`
    : view.step === "pilot"
      ? `pilot (${view.pilotSegment})`
      : view.step;
