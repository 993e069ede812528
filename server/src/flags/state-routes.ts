/**
 * @module `/api/v1/environments/{env}/flags[/{flag}]`: per-environment state, the kill switch, and
 * `/api/v1/environments/{env}/incident`. Viewers read; editors write.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { editorForWrites } from "../auth/middleware.js";
import { ChangeRequestSchema } from "../change-requests/routes.js";
import { submitStateChange } from "../change-requests/store.js";
import { baseVersion } from "../changes/version.js";
import type { AppDeps } from "../deps.js";
import {
  ifMatchHeader,
  jsonBody,
  jsonResponse,
  RulesetVersionsSchema,
  standardProblems,
  writeProblems,
} from "../openapi/route.js";
import { EnvFlagParam, EnvParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import {
  FlagStateSchema,
  IncidentSchema,
  KillSchema,
  PatchStateSchema,
  ReplaceStateSchema,
} from "./schemas.js";
import { declareIncident, getState, killFlag, listStates } from "./state-store.js";

const StateParam = EnvFlagParam;
const StateWrite = z.object({
  state: FlagStateSchema,
  version: z.number().int(),
  rulesetVersions: RulesetVersionsSchema,
});
const tags = ["Flag state"];
/** In an environment that requires approval, an edit is filed as a change request instead of applied. */
const filedForApproval = jsonResponse(
  z.object({ changeRequest: ChangeRequestSchema }),
  "Filed as a change request: this environment requires approval",
);

const listRoute = createRoute({
  method: "get",
  path: "/environments/{env}/flags",
  tags,
  summary: "Every flag's state in an environment",
  request: { params: EnvParam },
  responses: {
    200: jsonResponse(z.object({ states: z.array(FlagStateSchema) }), "States"),
    ...standardProblems,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/environments/{env}/flags/{flag}",
  tags,
  summary: "A flag's state in an environment",
  request: { params: StateParam },
  responses: { 200: jsonResponse(FlagStateSchema, "The state"), ...standardProblems },
});
const putRoute = createRoute({
  method: "put",
  path: "/environments/{env}/flags/{flag}",
  tags,
  summary: "Replace a flag's state (on, targets, rules, fallthrough, prerequisites, shadow)",
  request: { params: StateParam, headers: ifMatchHeader, body: jsonBody(ReplaceStateSchema) },
  responses: { 200: jsonResponse(StateWrite, "Updated"), 202: filedForApproval, ...writeProblems },
});
const patchRoute = createRoute({
  method: "patch",
  path: "/environments/{env}/flags/{flag}",
  tags,
  summary: "Change some fields of a flag's state",
  request: { params: StateParam, headers: ifMatchHeader, body: jsonBody(PatchStateSchema) },
  responses: { 200: jsonResponse(StateWrite, "Updated"), 202: filedForApproval, ...writeProblems },
});
const killRoute = createRoute({
  method: "post",
  path: "/environments/{env}/flags/{flag}/kill",
  tags,
  summary: "Kill switch: turn the flag off now (a reason is required; no version needed)",
  request: { params: StateParam, body: jsonBody(KillSchema) },
  responses: { 200: jsonResponse(StateWrite, "Killed"), ...writeProblems },
});
const incidentRoute = createRoute({
  method: "post",
  path: "/environments/{env}/incident",
  tags,
  summary: "Incident mode: kill every flag with a tag, in one change and one audit entry",
  request: { params: EnvParam, body: jsonBody(IncidentSchema) },
  responses: {
    200: jsonResponse(
      z.object({ killed: z.array(FlagStateSchema), rulesetVersions: RulesetVersionsSchema }),
      "Killed",
    ),
    ...writeProblems,
  },
});

export function stateRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/environments/:env/flags/*", editorForWrites());
  app.use("/environments/:env/incident", editorForWrites());

  app.openapi(listRoute, async (c) =>
    c.json({ states: await listStates(deps, c.req.valid("param").env) }, 200),
  );
  app.openapi(getRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    return c.json(await getState(deps, env, flag), 200);
  });
  app.openapi(putRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const { version, reason, ...state } = c.req.valid("json");
    const outcome = await submitStateChange(
      deps,
      c.get("actor"),
      env,
      flag,
      baseVersion(c, version),
      state,
      reason,
    );
    return outcome.kind === "applied"
      ? c.json(outcome.applied, 200)
      : c.json({ changeRequest: outcome.changeRequest }, 202);
  });
  app.openapi(patchRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const { version, reason, ...changes } = c.req.valid("json");
    const outcome = await submitStateChange(
      deps,
      c.get("actor"),
      env,
      flag,
      baseVersion(c, version),
      changes,
      reason,
    );
    return outcome.kind === "applied"
      ? c.json(outcome.applied, 200)
      : c.json({ changeRequest: outcome.changeRequest }, 202);
  });
  app.openapi(killRoute, async (c) => {
    const { env, flag } = c.req.valid("param");
    const { reason, version } = c.req.valid("json");
    return c.json(await killFlag(deps, c.get("actor"), env, flag, reason, baseVersion(c, version)), 200);
  });
  app.openapi(incidentRoute, async (c) => {
    const { tag, reason } = c.req.valid("json");
    return c.json(await declareIncident(deps, c.get("actor"), c.req.valid("param").env, tag, reason), 200);
  });
  return app;
}
