/** @module zod schemas of the promotion API: requests, previews, promotions and the pipeline view. */
import { z } from "@hono/zod-openapi";
import {
  PrerequisiteSchema,
  RuleSchema,
  ServeSchema,
  ShadowSchema,
  TargetSchema,
} from "../flags/rule-schemas.js";

const envKey = z.string().trim().min(1).max(100);

const selection = {
  from: envKey.openapi({ example: "staging" }),
  to: z
    .array(envKey)
    .min(1)
    .max(20)
    .openapi({ example: ["production"] }),
  flags: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(500)
    .optional()
    .openapi({ description: "The flags to promote (one flag is `[key]`). Exactly one of `flags` or `tag`." }),
  tag: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Promote every active flag carrying this tag (a release)." }),
};

type Selection = { from: string; to: string[]; flags?: string[]; tag?: string };

function checkSelection(value: Selection, ctx: z.RefinementCtx) {
  if ((value.flags === undefined) === (value.tag === undefined)) {
    ctx.addIssue({ code: "custom", path: ["flags"], message: "send exactly one of flags or tag" });
  }
  const seen = new Set<string>();
  for (const [i, env] of value.to.entries()) {
    if (seen.has(env)) ctx.addIssue({ code: "custom", path: ["to", i], message: `"${env}" is listed twice` });
    seen.add(env);
  }
  const flags = new Set<string>();
  for (const [i, flag] of (value.flags ?? []).entries()) {
    if (flags.has(flag))
      ctx.addIssue({ code: "custom", path: ["flags", i], message: `"${flag}" is listed twice` });
    flags.add(flag);
  }
}

export const PreviewRequestSchema = z
  .object(selection)
  .strict()
  .superRefine(checkSelection)
  .openapi("PromotionPreviewRequest");

export const GateSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("approval") }).strict(),
    z
      .object({
        type: z.literal("soak"),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(60 * 24 * 30),
        maxMismatchRate: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .openapi({ description: "Highest shadow mismatch rate (0..1) allowed; default 0.01." }),
        approval: z.boolean().optional().openapi({
          description:
            "Also wait for an approval. Always set for an environment that requires approval: a soak never replaces it.",
        }),
      })
      .strict(),
  ])
  .openapi("PromotionGate", {
    description:
      "`approval`: waits for another editor or admin. `soak`: applies once every flag has been unchanged in the source for `minutes`, with its guards green and shadow mismatches under the limit (and, with `approval`, once approved too). Into an environment that requires approval, an approval is always required.",
  });

export const CreatePromotionSchema = z
  .object({
    ...selection,
    expectedPreview: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be the hash returned by the preview")
      .openapi({ description: "`hash` from the preview: what is applied is what was previewed." }),
    gate: GateSchema.optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine(checkSelection)
  .openapi("CreatePromotion");

export const DecisionSchema = z
  .object({
    comment: z.string().trim().max(2000).optional(),
    expectedPreview: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be the hash of a preview")
      .optional()
      .openapi({
        description:
          "When a target changed since the request, the approval is refused (409) with the new preview in `current`; send its hash here to approve that instead.",
      }),
  })
  .strict()
  .openapi("PromotionDecision");

export const RejectSchema = z
  .object({ comment: z.string().trim().min(1, "say why the promotion is rejected").max(2000) })
  .strict()
  .openapi("PromotionRejection");

export const RevertSchema = z
  .object({
    force: z
      .boolean()
      .optional()
      .openapi({ description: "Overwrite target setups that were changed after the promotion." }),
    reason: z.string().max(2000).optional(),
  })
  .strict()
  .openapi("PromotionRevert");

const SetupSchema = z
  .object({
    on: z.boolean(),
    offVariation: z.string(),
    targets: z.array(TargetSchema),
    rules: z.array(RuleSchema),
    fallthrough: ServeSchema,
    prerequisites: z.array(PrerequisiteSchema),
    shadow: ShadowSchema.nullable(),
  })
  .openapi("FlagSetup");

const ProblemItemSchema = z
  .object({
    environment: z.string(),
    flag: z.string(),
    kind: z.enum(["missing-segment", "invalid"]),
    message: z.string(),
    path: z.string().optional(),
    segment: z.string().optional(),
  })
  .openapi("PromotionProblem");

const SelectorSchema = z.union([z.object({ flags: z.array(z.string()) }), z.object({ tag: z.string() })]);

export const PreviewSchema = z
  .object({
    from: z.string(),
    to: z.array(z.string()),
    selector: SelectorSchema,
    flags: z.array(z.string()),
    sourceVersions: z.record(z.string(), z.number().int()),
    targets: z.array(
      z.object({
        environment: z.string(),
        flags: z.array(
          z.object({
            flag: z.string(),
            before: SetupSchema.extend({ version: z.number().int() }),
            after: SetupSchema,
            changes: z.array(z.string()).openapi({ example: ["rule 2 added: country in DE, FR → on"] }),
            unchanged: z.boolean(),
            problems: z.array(ProblemItemSchema),
          }),
        ),
      }),
    ),
    problems: z.array(ProblemItemSchema),
    blocked: z.boolean(),
    hash: z.string(),
  })
  .openapi("PromotionPreview");

const GateEventSchema = z.object({
  gate: z.enum(["approval", "soak", "apply"]),
  outcome: z.enum(["passed", "rejected", "failed"]),
  by: z.string(),
  at: z.string(),
  comment: z.string().nullable(),
  details: z.unknown(),
});

const summaryFields = {
  id: z.number().int(),
  from: z.string(),
  to: z.array(z.string()),
  selector: SelectorSchema,
  flags: z.array(z.string()),
  gate: GateSchema.nullable(),
  status: z.enum(["pending", "applied", "rejected", "failed", "reverted"]),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  appliedBy: z.string().nullable(),
  appliedAt: z.string().nullable(),
  revertedBy: z.string().nullable(),
  revertedAt: z.string().nullable(),
};

export const PromotionSummarySchema = z.object(summaryFields).openapi("PromotionSummary");

export const PromotionSchema = z
  .object({
    ...summaryFields,
    previewHash: z.string(),
    preview: z.unknown(),
    replaced: z
      .unknown()
      .openapi({ description: "Per environment and flag: the setup the promotion replaced." }),
    appliedVersions: z.unknown(),
    gateRecord: z.array(GateEventSchema),
  })
  .openapi("Promotion");

export const PipelineSchema = z
  .object({
    environments: z.array(z.object({ key: z.string(), name: z.string(), sortOrder: z.number().int() })),
    flags: z.array(
      z.object({
        flag: z.string(),
        name: z.string(),
        tags: z.array(z.string()),
        inSync: z.boolean(),
        environments: z.array(
          z.object({
            environment: z.string(),
            fingerprint: z.string(),
            on: z.boolean(),
            version: z.number().int(),
            updatedAt: z.string(),
            sameAsPrevious: z.boolean().nullable(),
            promote: z
              .object({ from: z.string(), to: z.string(), blockedBy: z.array(z.string()) })
              .nullable()
              .openapi({ description: "Present where this environment differs from the one before it." }),
            pendingPromotion: z
              .number()
              .int()
              .nullable()
              .openapi({ description: "A promotion into this environment waiting for its gate, if any." }),
          }),
        ),
      }),
    ),
  })
  .openapi("PromotionPipeline");
