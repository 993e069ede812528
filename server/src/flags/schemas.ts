/** @module zod schemas of the flag and flag-state API (bodies and answers). */
import { z } from "@hono/zod-openapi";
import {
  PrerequisiteSchema,
  RuleSchema,
  resourceKey,
  ServeSchema,
  ShadowSchema,
  TargetSchema,
  VariationSchema,
} from "./rule-schemas.js";

const tag = z.string().trim().min(1).max(64);
const definition = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  variations: z.array(VariationSchema).min(1).max(100),
  tags: z.array(tag).max(50),
  owner: z.string().trim().min(1).max(200).nullable(),
  temporary: z.boolean(),
  clientVisible: z.boolean(),
};

export const FlagSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.enum(["boolean", "string", "number", "json"]),
    variations: z.array(VariationSchema),
    tags: z.array(z.string()),
    owner: z.string().nullable(),
    temporary: z.boolean(),
    clientVisible: z.boolean(),
    salt: z
      .string()
      .openapi({ description: "Mixed into bucketing; lets a preview bucket exactly as SDKs do." }),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Flag");

export const CreateFlagSchema = z
  .object({
    key: resourceKey("Flag"),
    kind: z.enum(["boolean", "string", "number", "json"]),
    ...definition,
    description: definition.description.optional(),
    variations: definition.variations
      .optional()
      .openapi({ description: "Boolean flags default to on:true / off:false." }),
    tags: definition.tags.optional(),
    owner: definition.owner.optional(),
    temporary: definition.temporary.optional(),
    clientVisible: definition.clientVisible.optional(),
  })
  .strict()
  .openapi("CreateFlag");

export const UpdateFlagSchema = z
  .object({ ...definition, version: z.number().int().optional() })
  .partial()
  .strict()
  .openapi("UpdateFlag");

export const VersionOnlySchema = z.object({ version: z.number().int().optional() }).strict();

const stateFields = {
  on: z.boolean(),
  offVariation: z.string().min(1),
  targets: z.array(TargetSchema).max(100),
  rules: z.array(RuleSchema).max(500),
  fallthrough: ServeSchema,
  prerequisites: z.array(PrerequisiteSchema).max(50),
  shadow: ShadowSchema.nullable(),
};

export const FlagStateSchema = z
  .object({
    flag: z.string(),
    environment: z.string(),
    ...stateFields,
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable(),
  })
  .openapi("FlagState");

export const ReplaceStateSchema = z
  .object({
    ...stateFields,
    targets: stateFields.targets.default([]),
    rules: stateFields.rules.default([]),
    prerequisites: stateFields.prerequisites.default([]),
    shadow: stateFields.shadow.default(null),
    version: z.number().int().optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict()
  .openapi("ReplaceFlagState");

export const PatchStateSchema = z
  .object({ ...stateFields, version: z.number().int(), reason: z.string().max(2000) })
  .partial()
  .strict()
  .openapi("PatchFlagState");

export const KillSchema = z
  .object({
    reason: z.string().trim().min(1, "a kill needs a reason").max(2000),
    version: z.number().int().optional(),
  })
  .strict()
  .openapi("Kill");

export const IncidentSchema = z
  .object({ tag, reason: z.string().trim().min(1, "an incident needs a reason").max(2000) })
  .strict()
  .openapi("Incident");
