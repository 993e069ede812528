/**
 * @module zod issues → problem fields, and the hook every validated route uses.
 */
import type { z } from "zod";
import { type FieldError, ValidationError } from "./errors.js";

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

export function validationErrorFrom(error: z.ZodError, where = "body"): ValidationError {
  const errors = fieldErrors(error);
  const first = errors[0];
  const detail = first
    ? `Invalid ${where}: ${first.path ? `${first.path}: ` : ""}${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`
    : `Invalid ${where}.`;
  return new ValidationError(detail, errors);
}

/** Parses with a schema or throws a {@link ValidationError} naming the fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where = "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorFrom(result.error, where);
  return result.data;
}

/** `defaultHook` for OpenAPIHono: a failed zod validation becomes a problem naming the fields. */
export function validationHook(result: { success: boolean; error?: unknown; target?: string }): void {
  if (!result.success) {
    const target = result.target === "json" ? "body" : (result.target ?? "request");
    throw validationErrorFrom(result.error as z.ZodError, target);
  }
}
