/**
 * @module `/api/v1/change-requests`: flag-state edits waiting for approval in environments that require it.
 * Anyone may read and comment; editors and admins approve (not their own) or reject.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import type { AppDeps } from "../deps.js";
import { jsonBody, jsonResponse, standardProblems, writeProblems } from "../openapi/route.js";
import { IdParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { approveRequest, rejectRequest } from "./decide.js";
import { commentOnRequest } from "./store.js";
import { ChangeRequestSchema, findRequest, requestView } from "./view.js";

/** Re-exported for the routes that answer 202 with a change request (flag state, dark launch). */
export { ChangeRequestSchema };

const CommentSchema = z.object({ comment: z.string().trim().min(1).max(2000).optional() }).strict();
const TextSchema = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
const Decided = z.object({ changeRequest: ChangeRequestSchema, applied: z.unknown() });
const tags = ["Change requests"];

const listRoute = createRoute({
  method: "get",
  path: "/change-requests",
  tags,
  summary: "Change requests, newest first (filter by status and environment)",
  request: {
    query: z.object({
      status: z.enum(["pending", "applied", "rejected", "conflicted"]).optional(),
      environment: z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ changeRequests: z.array(ChangeRequestSchema) }), "Requests"),
    ...standardProblems,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/change-requests/{id}",
  tags,
  summary: "One change request",
  request: { params: IdParam },
  responses: { 200: jsonResponse(ChangeRequestSchema, "Request"), ...standardProblems },
});
const approveRoute = createRoute({
  method: "post",
  path: "/change-requests/{id}/approve",
  tags,
  summary: "Approve and apply (not your own request); a stale base version marks it conflicted",
  request: { params: IdParam, body: jsonBody(CommentSchema) },
  responses: { 200: jsonResponse(Decided, "Decided"), ...writeProblems },
});
const rejectRoute = createRoute({
  method: "post",
  path: "/change-requests/{id}/reject",
  tags,
  summary: "Reject, with a comment",
  request: { params: IdParam, body: jsonBody(CommentSchema) },
  responses: { 200: jsonResponse(Decided, "Decided"), ...writeProblems },
});
const commentRoute = createRoute({
  method: "post",
  path: "/change-requests/{id}/comments",
  tags,
  summary: "Comment on a change request",
  request: { params: IdParam, body: jsonBody(TextSchema) },
  responses: { 200: jsonResponse(ChangeRequestSchema, "Commented"), ...writeProblems },
});

export function changeRequestRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) => {
    const { status, environment } = c.req.valid("query");
    let q = deps.db.selectFrom("change_requests").selectAll().orderBy("id", "desc").limit(200);
    if (status) q = q.where("status", "=", status);
    if (environment) q = q.where("environment_key", "=", environment);
    return c.json({ changeRequests: (await q.execute()).map(requestView) }, 200);
  });
  app.openapi(getRoute, async (c) =>
    c.json(requestView(await findRequest(deps.db, c.req.valid("param").id)), 200),
  );
  app.openapi(approveRoute, async (c) =>
    c.json(
      await approveRequest(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("json").comment),
      200,
    ),
  );
  app.openapi(rejectRoute, async (c) =>
    c.json(
      await rejectRequest(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("json").comment),
      200,
    ),
  );
  app.openapi(commentRoute, async (c) =>
    c.json(
      await commentOnRequest(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("json").text),
      200,
    ),
  );
  return app;
}
