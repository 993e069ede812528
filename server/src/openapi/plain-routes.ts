/**
 * @module The routes served by plain Hono routers (SDK, OFREP, delivery, usage, health, metrics), added
 * to the OpenAPI document by hand: they stream, serve prebuilt bytes or speak OFREP's own error format,
 * so they are not zod-openapi routes, but integrators need them documented all the same.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../auth/context.js";
import { EnvParam, FlagParam } from "../problem/params.js";
import { standardProblems } from "./route.js";

type Method = "get" | "post";
const anyJson = (description: string) => ({
  description,
  content: { "application/json": { schema: z.object({}).passthrough() } },
});
const sse = (description: string) => ({
  description,
  content: { "text/event-stream": { schema: z.string() } },
});
const jsonRequest = {
  body: { required: true, content: { "application/json": { schema: z.object({}).passthrough() } } },
};
const sdkKey = [{ sdkKey: [] }];

const routes: [Method, string, string, Record<string, unknown>, Record<string, unknown>?][] = [
  ["get", "/healthz", "Liveness: the process answers", { 200: anyJson("Alive") }, { security: [] }],
  [
    "get",
    "/readyz",
    "Readiness: database reachable and every ruleset loaded",
    { 200: anyJson("Ready"), 503: anyJson("Not ready") },
    { security: [] },
  ],
  [
    "get",
    "/metrics",
    "Prometheus metrics (text format)",
    { 200: { description: "Metrics", content: { "text/plain": { schema: z.string() } } } },
    { security: [] },
  ],
  [
    "get",
    "/sdk/v1/ruleset.schema.json",
    "JSON Schema of the ruleset format",
    { 200: anyJson("The schema") },
    { security: [] },
  ],
  [
    "get",
    "/sdk/v1/ruleset",
    "The environment's full ruleset (server key); ETag, 304 on If-None-Match",
    { 200: anyJson("Ruleset"), 304: { description: "Not modified" }, ...standardProblems },
    { security: sdkKey },
  ],
  [
    "get",
    "/sdk/v1/client/ruleset",
    "The browser-safe ruleset (client-visible flags, hashed keys)",
    { 200: anyJson("Ruleset"), 304: { description: "Not modified" }, ...standardProblems },
    { security: sdkKey },
  ],
  [
    "get",
    "/sdk/v1/stream",
    "Server-Sent Events: put on connect, patch per version, ping; Last-Event-ID resumes",
    { 200: sse("Stream"), ...standardProblems },
    { security: sdkKey },
  ],
  [
    "post",
    "/sdk/v1/client/evaluate",
    "Evaluate every client-visible flag for a posted context",
    { 200: anyJson("Evaluations"), ...standardProblems },
    { security: sdkKey, request: jsonRequest },
  ],
  [
    "post",
    "/sdk/v1/metrics",
    "Batched evaluation counts (and acks) from an SDK instance",
    { 202: { description: "Accepted" }, ...standardProblems },
    { security: sdkKey, request: jsonRequest },
  ],
  [
    "post",
    "/sdk/v1/ack",
    "Ruleset versions an SDK instance applied (delivery confirmation)",
    { 202: { description: "Accepted" }, ...standardProblems },
    { security: sdkKey, request: jsonRequest },
  ],
  [
    "post",
    "/ofrep/v1/evaluate/flags/{key}",
    "OFREP single flag evaluation",
    {
      200: anyJson("Evaluation"),
      400: anyJson("OFREP error"),
      404: anyJson("Flag not found"),
      401: anyJson("Unauthorized"),
    },
    { security: sdkKey, request: { ...jsonRequest, params: z.object({ key: z.string() }) } },
  ],
  [
    "post",
    "/ofrep/v1/evaluate/flags",
    "OFREP bulk evaluation; ETag, 304 on If-None-Match",
    {
      200: anyJson("Evaluations"),
      304: { description: "Not modified" },
      400: anyJson("OFREP error"),
      401: anyJson("Unauthorized"),
    },
    { security: sdkKey, request: jsonRequest },
  ],
  [
    "get",
    "/ofrep/v1/stream",
    "OFREP refetch events: one per new ruleset version",
    { 200: sse("Stream"), ...standardProblems },
    { security: sdkKey },
  ],
  [
    "get",
    "/api/v1/environments/{env}/delivery",
    "Has a version reached every SDK instance? Counts, latencies, laggards",
    { 200: anyJson("Delivery status"), ...standardProblems },
    { request: { params: EnvParam, query: z.object({ version: z.string().optional() }) } },
  ],
  [
    "get",
    "/api/v1/usage",
    "Evaluation usage and stale-flag verdicts of every flag",
    { 200: anyJson("Usage"), ...standardProblems },
    { request: { query: z.object({ staleAfterDays: z.string().optional() }) } },
  ],
  [
    "get",
    "/api/v1/flags/{flag}/usage",
    "Hourly evaluation counts of a flag and when each environment last evaluated it",
    { 200: anyJson("Usage"), ...standardProblems },
    {
      request: {
        params: FlagParam,
        query: z.object({
          from: z.string().optional(),
          to: z.string().optional(),
          environment: z.string().optional(),
        }),
      },
    },
  ],
];

export function registerPlainRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "sdkKey", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: "A server or client SDK key (`sy_server_…`, `sy_client_…`); client keys also as `?key=`.",
  });
  for (const [method, path, summary, responses, extra = {}] of routes) {
    const tag = path.startsWith("/ofrep")
      ? "OFREP"
      : path.startsWith("/sdk")
        ? "SDK"
        : path.startsWith("/api")
          ? "Delivery and usage"
          : "Operations";
    app.openAPIRegistry.registerPath({ method, path, summary, tags: [tag], responses, ...extra } as never);
  }
}
