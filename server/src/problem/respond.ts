/**
 * @module Turns any thrown error into an `application/problem+json` response (RFC 9457). Unknown errors
 * are logged and answered with a 500 that reveals nothing.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { type FieldError, ProblemError } from "./errors.js";

export const PROBLEM_TYPE_BASE = "https://switchyard.dev/problems/";
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function problemBody(error: ProblemError, instance?: string): ProblemBody {
  return {
    type: PROBLEM_TYPE_BASE + error.slug,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
  };
}

export function problemResponse(body: ProblemBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** Hono's `onError`: typed errors keep their status; Hono's own 4xx (e.g. malformed JSON) stay 4xx. */
export function handleError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const instance = new URL(c.req.url).pathname;
    if (error instanceof ProblemError) return problemResponse(problemBody(error, instance), error.headers);
    if (error instanceof HTTPException && error.status < 500) {
      const malformed = /malformed|json/i.test(error.message);
      return problemResponse({
        type: PROBLEM_TYPE_BASE + (malformed ? "malformed-body" : "bad-request"),
        title: malformed ? "Malformed request body" : "Bad request",
        status: error.status,
        detail: error.message || "Bad request",
        instance,
      });
    }
    const database = databaseProblem(error);
    if (database) return problemResponse({ ...database.body, instance }, database.headers);
    logger.error({ err: error, path: instance, method: c.req.method }, "unhandled error");
    return problemResponse({
      type: `${PROBLEM_TYPE_BASE}internal`,
      title: "Internal server error",
      status: 500,
      detail: "The server could not complete the request; it has been logged.",
      instance,
    });
  };
}

/**
 * Postgres errors a race between two requests can cause (both passed their checks, one lost at COMMIT):
 * they are the caller's conflict to retry, not a server fault.
 */
function databaseProblem(error: Error): { body: ProblemBody; headers?: Record<string, string> } | null {
  const code = (error as { code?: unknown }).code;
  if (code === "23505" || code === "23503") {
    return {
      body: {
        type: `${PROBLEM_TYPE_BASE}conflict`,
        title: "Conflict",
        status: 409,
        detail:
          code === "23505"
            ? "Something with this key was created at the same moment; reload and retry."
            : "Something this change refers to was changed or deleted at the same moment; reload and retry.",
      },
    };
  }
  if (code === "40001" || code === "40P01") {
    return {
      body: {
        type: `${PROBLEM_TYPE_BASE}retry`,
        title: "Try again",
        status: 503,
        detail: "A concurrent change got in the way; retry the request.",
      },
      headers: { "Retry-After": "1" },
    };
  }
  return null;
}
