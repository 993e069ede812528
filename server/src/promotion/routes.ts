/**
 * @module `/api/v1/promotions`: preview, promote (now or through a gate), approve, reject, revert, list,
 * and the pipeline view. Viewers read and preview; editors and admins promote, decide and revert.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { requireRole } from "../auth/middleware.js";
import type { AppDeps } from "../deps.js";
import {
  jsonBody,
  jsonResponse,
  RulesetVersionsSchema,
  standardProblems,
  writeProblems,
} from "../openapi/route.js";
import { IdParam } from "../problem/params.js";
import { validationHook } from "../problem/zod.js";
import { createPromotion, previewPromotion } from "./apply.js";
import { approvePromotion, rejectPromotion } from "./approval.js";
import { promotionPipeline } from "./pipeline.js";
import type { PromotionSelector } from "./plan.js";
import { revertPromotion } from "./revert.js";
import {
  CreatePromotionSchema,
  DecisionSchema,
  PipelineSchema,
  PreviewRequestSchema,
  PreviewSchema,
  PromotionSchema,
  PromotionSummarySchema,
  RejectSchema,
  RevertSchema,
} from "./schemas.js";
import { getPromotion, listPromotions } from "./store.js";

const tags = ["Promotions"];
const Outcome = z.object({
  id: z.number().int(),
  status: z.enum(["pending", "applied", "rejected", "failed", "reverted"]),
  promotion: PromotionSchema,
  rulesetVersions: RulesetVersionsSchema.optional(),
});

const previewRoute = createRoute({
  method: "post",
  path: "/promotions/preview",
  tags,
  summary: "Preview a promotion: what every target will serve afterwards, per flag, and what blocks it",
  request: { body: jsonBody(PreviewRequestSchema) },
  responses: { 200: jsonResponse(PreviewSchema, "The preview (nothing changed)"), ...standardProblems },
});
const createPromotionRoute = createRoute({
  method: "post",
  path: "/promotions",
  tags,
  summary: "Promote exactly what was previewed: now (all flags or none), or through an approval or soak gate",
  request: { body: jsonBody(CreatePromotionSchema) },
  responses: {
    201: jsonResponse(Outcome, "Applied, or pending its gate"),
    ...writeProblems,
  },
});
const listRoute = createRoute({
  method: "get",
  path: "/promotions",
  tags,
  summary: "Promotions, newest first",
  request: {
    query: z.object({
      status: z.enum(["pending", "applied", "rejected", "failed", "reverted"]).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ promotions: z.array(PromotionSummarySchema) }), "Promotions"),
    ...standardProblems,
  },
});
const pipelineRoute = createRoute({
  method: "get",
  path: "/promotions/pipeline",
  tags,
  summary: "Each flag across environments in release order: which match, which lag, where promote applies",
  request: { query: z.object({ tag: z.string().trim().min(1).max(64).optional() }) },
  responses: { 200: jsonResponse(PipelineSchema, "The pipeline"), ...standardProblems },
});
const getRoute = createRoute({
  method: "get",
  path: "/promotions/{id}",
  tags,
  summary: "A promotion with its preview, the setups it replaced and its gate record",
  request: { params: IdParam },
  responses: { 200: jsonResponse(PromotionSchema, "The promotion"), ...standardProblems },
});
const decisionRoute = (decision: "approve" | "reject") =>
  createRoute({
    method: "post",
    path: `/promotions/{id}/${decision}`,
    tags,
    summary:
      decision === "approve"
        ? "Approve a pending promotion (another editor or admin than the requester); it applies now, or once its soak period passes"
        : "Reject a pending promotion, saying why",
    request: { params: IdParam, body: jsonBody(decision === "approve" ? DecisionSchema : RejectSchema) },
    responses: {
      200: jsonResponse(Outcome, decision === "approve" ? "Applied" : "Rejected"),
      ...writeProblems,
    },
  });
const revertRoute = createRoute({
  method: "post",
  path: "/promotions/{id}/revert",
  tags,
  summary: "Put back exactly the setups a promotion replaced (one audit entry)",
  request: { params: IdParam, body: { ...jsonBody(RevertSchema), required: false } },
  responses: { 200: jsonResponse(Outcome, "Reverted"), ...writeProblems },
});

const selectorOf = (body: { flags?: string[]; tag?: string }): PromotionSelector =>
  body.tag !== undefined ? { tag: body.tag } : { flags: body.flags ?? [] };

export function promotionRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const editor = requireRole("editor");
  // Reads and previews change nothing: viewers may. Promoting, deciding and reverting need an editor.
  app.use("/promotions/*", async (c, next) =>
    c.req.method === "POST" && !c.req.path.endsWith("/promotions/preview") ? editor(c, next) : next(),
  );

  const outcome = async (result: { id: number; rulesetVersions?: Record<string, number> }) => {
    const promotion = await getPromotion(deps, result.id);
    return {
      id: result.id,
      status: promotion.status,
      promotion,
      ...(result.rulesetVersions ? { rulesetVersions: result.rulesetVersions } : {}),
    };
  };

  app.openapi(previewRoute, async (c) => {
    const body = c.req.valid("json");
    const preview = await previewPromotion(deps, c.get("actor"), {
      from: body.from,
      to: body.to,
      selector: selectorOf(body),
    });
    return c.json(preview, 200);
  });
  app.openapi(createPromotionRoute, async (c) => {
    const body = c.req.valid("json");
    const result = await createPromotion(deps, c.get("actor"), {
      from: body.from,
      to: body.to,
      selector: selectorOf(body),
      expectedPreview: body.expectedPreview,
      gate: body.gate,
      reason: body.reason,
    });
    return c.json(await outcome(result), 201);
  });
  app.openapi(listRoute, async (c) =>
    c.json({ promotions: await listPromotions(deps, c.req.valid("query")) }, 200),
  );
  app.openapi(pipelineRoute, async (c) =>
    c.json(await promotionPipeline(deps, c.req.valid("query").tag), 200),
  );
  app.openapi(getRoute, async (c) => c.json(await getPromotion(deps, c.req.valid("param").id), 200));
  app.openapi(decisionRoute("approve"), async (c) => {
    const { id } = c.req.valid("param");
    const result = await approvePromotion(deps, c.get("actor"), id, c.req.valid("json"));
    return c.json(await outcome(result), 200);
  });
  app.openapi(decisionRoute("reject"), async (c) => {
    const { id } = c.req.valid("param");
    const result = await rejectPromotion(
      deps,
      c.get("actor"),
      id,
      (c.req.valid("json") as { comment: string }).comment,
    );
    return c.json(await outcome(result), 200);
  });
  app.openapi(revertRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = (c.req.valid("json") ?? {}) as { force?: boolean; reason?: string };
    return c.json(await outcome(await revertPromotion(deps, c.get("actor"), id, body)), 200);
  });
  return app;
}
