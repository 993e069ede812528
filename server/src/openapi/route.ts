/**
 * @module Small builders for route definitions, so every route documents its body, its answers and
 * its problems the same way.
 */
import { z } from "@hono/zod-openapi";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    current: z.unknown().optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** Problems every authenticated route can answer. */
export const standardProblems = {
  400: problem("Invalid input (the offending fields are named in `errors`)."),
  401: problem("Missing, unknown or revoked credentials."),
  403: problem("Authenticated, but the role or key kind does not allow this."),
  404: problem("No such resource."),
} as const;

export const writeProblems = {
  ...standardProblems,
  409: problem("The version you based this edit on is stale; `current` holds the current state."),
  415: problem("The body must be application/json."),
  428: problem("Send the version you based this edit on (`If-Match` or `version`)."),
} as const;

export function jsonBody<S extends z.ZodType>(schema: S, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { "application/json": { schema } },
  } as const;
}

export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** `If-Match: "<version>"` documented on every versioned write. */
export const ifMatchHeader = z.object({
  "if-match": z.string().optional().openapi({
    description: 'The version this edit is based on, e.g. `"3"` (or send `version` in the body).',
  }),
});

/** The ruleset version each affected environment moved to. */
export const RulesetVersionsSchema = z.record(z.string(), z.number().int()).openapi("RulesetVersions");
