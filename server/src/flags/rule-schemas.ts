/**
 * @module zod schemas for the targeting wire types of `@switchyard/core` (variations, clauses, rules,
 * serves, targets, prerequisites, shadow). Cross-references (does this variation or segment exist?) are
 * checked against the database in `validate-state.ts`.
 */
import { z } from "@hono/zod-openapi";
import {
  BUCKET_COUNT,
  compileTrustedRuleset,
  type JsonValue,
  RULESET_FORMAT_VERSION,
} from "@switchyard/core";

export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const resourceKey = (what: string) =>
  z
    .string()
    .regex(
      KEY_PATTERN,
      `${what} keys are 1–100 characters: letters, digits, '.', '_' and '-', starting with a letter or digit`,
    );

/** Any JSON value. Bodies arrive parsed from JSON, so anything present already is one. */
export const JsonValueSchema = z
  .custom<JsonValue>((v) => v !== undefined, { message: "a value is required" })
  .openapi({
    description: "Any JSON value.",
    type: ["string", "number", "boolean", "object", "array", "null"],
  });

export const VariationSchema = z
  .object({
    key: resourceKey("Variation"),
    value: JsonValueSchema,
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict()
  .openapi("Variation");

export const OperatorSchema = z.enum([
  "in",
  "notIn",
  "startsWith",
  "endsWith",
  "contains",
  "matches",
  "lt",
  "lte",
  "gt",
  "gte",
  "before",
  "after",
  "semverEq",
  "semverLt",
  "semverGt",
  "segmentMatch",
]);

/**
 * Why the evaluator would refuse a `matches` pattern, or undefined when it runs it. Core's guard
 * (`safePattern`: `u` flag, length limit, no catastrophic backtracking) is not exported by
 * `@switchyard/core`, so the pattern is compiled the way the evaluator compiles it — a one-rule flag —
 * and the flag's compile error is the answer.
 */
export function patternProblem(pattern: string): string | undefined {
  const compiled = compileTrustedRuleset({
    formatVersion: RULESET_FORMAT_VERSION,
    environment: "pattern-check",
    version: 0,
    segments: [],
    flags: [
      {
        key: "p",
        kind: "boolean",
        variations: [{ key: "v", value: true }],
        version: 0,
        salt: "",
        on: true,
        offVariation: "v",
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "matches", values: [pattern] }],
            serve: { variation: "v" },
          },
        ],
        fallthrough: { variation: "v" },
      },
    ],
  });
  if (!compiled.ok) return compiled.errors[0];
  return compiled.ruleset.flags.get("p")?.error?.message;
}

export const ClauseSchema = z
  .object({
    attribute: z.string().min(1).max(200),
    op: OperatorSchema,
    values: z.array(z.union([z.string().max(10_000), z.number(), z.boolean()])).max(10_000),
    negate: z.boolean().optional(),
  })
  .strict()
  .superRefine((clause, ctx) => {
    if (clause.op === "matches") {
      for (const [i, value] of clause.values.entries()) {
        const problem = typeof value === "string" ? patternProblem(value) : "a pattern is a string";
        if (problem) ctx.addIssue({ code: "custom", path: ["values", i], message: problem });
      }
    }
  })
  .openapi("Clause");

export const RolloutSchema = z
  .object({
    bucketBy: z.string().min(1).max(200).optional(),
    weights: z
      .array(
        z
          .object({ variation: z.string().min(1), weight: z.number().int().min(0).max(BUCKET_COUNT) })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .refine((r) => r.weights.reduce((sum, w) => sum + w.weight, 0) === BUCKET_COUNT, {
    message: `weights must sum to ${BUCKET_COUNT} (100%)`,
    path: ["weights"],
  });

export const ServeSchema = z
  .union([z.object({ variation: z.string().min(1) }).strict(), z.object({ rollout: RolloutSchema }).strict()])
  .openapi("Serve", {
    description:
      "`{ variation }` or `{ rollout: { weights: [{ variation, weight }] } }` (weights in 1/100,000).",
  });

export const RuleSchema = z
  .object({
    id: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    clauses: z.array(ClauseSchema).max(100),
    serve: ServeSchema,
  })
  .strict()
  .openapi("Rule");

export const TargetSchema = z
  .object({ variation: z.string().min(1), values: z.array(z.string().min(1).max(256)).max(10_000) })
  .strict()
  .openapi("Target");

export const PrerequisiteSchema = z
  .object({ flagKey: z.string().min(1), variation: z.string().min(1) })
  .strict()
  .openapi("Prerequisite");

export const ShadowSchema = z
  .object({
    sampleRate: z.number().int().min(0).max(BUCKET_COUNT),
    stickiness: z.enum(["user", "call"]),
    bucketBy: z.string().min(1).max(200).optional(),
    segment: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(1).max(60_000),
    candidateVariation: z.string().min(1).optional(),
    swapRoles: z.boolean().optional(),
  })
  .strict()
  .openapi("ShadowRule");

export const SegmentRuleSchema = z
  .object({ id: z.string().max(100).optional(), clauses: z.array(ClauseSchema).max(100) })
  .strict();
