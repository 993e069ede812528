/**
 * @module The ruleset wire format (core's `Ruleset`) as a zod schema, composed from the same schemas that
 * validate admin writes, and published as JSON Schema at `/sdk/v1/ruleset.schema.json` for SDK authors in
 * other languages. `formatVersion` is a literal: an SDK refuses a format it does not know.
 */
import { z } from "@hono/zod-openapi";
import { RULESET_FORMAT_VERSION } from "@switchyard/core";
import {
  ClauseSchema,
  PrerequisiteSchema,
  RuleSchema,
  SegmentRuleSchema,
  ServeSchema,
  ShadowSchema,
  TargetSchema,
  VariationSchema,
} from "../flags/rule-schemas.js";

/**
 * A clause on the wire: as admins write it, plus (browser-safe rulesets only) each `matches` pattern's input
 * bound from the server's regex guard, which browsers use instead of shipping the guard (core `Clause.maxInput`).
 */
const WireClauseSchema = ClauseSchema.extend({
  maxInput: z.array(z.number().int().nonnegative()).optional(),
});
const WireRuleSchema = RuleSchema.extend({ clauses: z.array(WireClauseSchema).max(100) });
const WireSegmentRuleSchema = SegmentRuleSchema.extend({ clauses: z.array(WireClauseSchema).max(100) });

export const WireFlagSchema = z.object({
  key: z.string().min(1),
  kind: z.enum(["boolean", "string", "number", "json"]),
  variations: z.array(VariationSchema).min(1),
  version: z.number().int().nonnegative(),
  salt: z.string(),
  clientVisible: z.boolean().optional(),
  on: z.boolean(),
  offVariation: z.string(),
  prerequisites: z.array(PrerequisiteSchema).optional(),
  targets: z.array(TargetSchema).optional(),
  rules: z.array(WireRuleSchema).optional(),
  fallthrough: ServeSchema,
  shadow: ShadowSchema.nullable().optional(),
});

export const WireSegmentSchema = z.object({
  key: z.string().min(1),
  version: z.number().int().nonnegative(),
  included: z.array(z.string()).optional(),
  excluded: z.array(z.string()).optional(),
  rules: z.array(WireSegmentRuleSchema).optional(),
});

export const RulesetSchema = z.object({
  formatVersion: z.literal(RULESET_FORMAT_VERSION),
  environment: z.string(),
  version: z.number().int().nonnegative(),
  flags: z.array(WireFlagSchema),
  segments: z.array(WireSegmentSchema),
  keyHashing: z.object({ algorithm: z.literal("murmur3x2-64"), salt: z.string() }).optional(),
});

let jsonSchema: unknown;
/** JSON Schema (draft 2020-12) of the ruleset, built once. */
export function rulesetJsonSchema(): unknown {
  jsonSchema ??= {
    ...z.toJSONSchema(RulesetSchema, { unrepresentable: "any" }),
    $id: "https://switchyard.dev/schemas/ruleset.v1.json",
    title: `Switchyard ruleset, format ${RULESET_FORMAT_VERSION}`,
  };
  return jsonSchema;
}
