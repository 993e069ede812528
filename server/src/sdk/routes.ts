/**
 * @module The SDK endpoints (see core's protocol.ts): rulesets with ETags, the change stream, server-side
 * evaluation for browsers, and the reports SDKs send back. No database read on the hot paths: rulesets
 * come from the in-memory store, keys from the resolver's cache.
 */
import { type EvaluationContext, evaluateAll, INSTANCE_HEADER, SDK_HEADER } from "@switchyard/core";
import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { AppDeps, PublishedRuleset } from "../deps.js";
import { MalformedBodyError, NotFoundError, PayloadTooLargeError } from "../problem/errors.js";
import { parseOrThrow } from "../problem/zod.js";
import { rulesetJsonSchema } from "../rulesets/schema.js";
import { type SdkEnv, sdkKey } from "./auth.js";
import { cors, preflight } from "./cors.js";
import { rateLimit } from "./rate-limit.js";
import { ackReportSchema, contextBodySchema, metricsReportSchema } from "./schemas.js";
import { sdkServicesFor, streamHubFor } from "./services.js";

const MAX_REPORT_BYTES = 1024 * 1024;

/** True when the request's `If-None-Match` names this ETag (or `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === etag || tag === "*";
  });
}

/** A ruleset response: 304 when the SDK has this version, gzip from the prebuilt buffer when accepted. */
export function rulesetResponse(c: Context, published: PublishedRuleset): Response {
  const headers: Record<string, string> = {
    ETag: published.etag,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
    Vary: "Accept-Encoding, Origin",
  };
  if (matchesEtag(c.req.header("if-none-match"), published.etag))
    return new Response(null, { status: 304, headers });
  headers["Content-Type"] = "application/json; charset=utf-8";
  if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
    return new Response(published.gzip, { headers: { ...headers, "Content-Encoding": "gzip" } });
  }
  return new Response(published.bytes, { headers });
}

/** Reads a JSON body sent as application/json or text/plain (sendBeacon without a preflight). */
export async function readReport<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  if (text.length > MAX_REPORT_BYTES) throw new PayloadTooLargeError("Reports are limited to 1 MB.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MalformedBodyError("The body is not valid JSON.");
  }
  return parseOrThrow(schema, body);
}

function published(deps: AppDeps, environment: string, audience: "server" | "client"): PublishedRuleset {
  const p = audience === "server" ? deps.rulesets.server(environment) : deps.rulesets.client(environment);
  if (!p) throw new NotFoundError(`Environment ${environment} has no ruleset.`);
  return p;
}

export function sdkRoutes(deps: AppDeps) {
  const app = new Hono<SdkEnv>();
  const limited = rateLimit({ trustProxy: deps.config.trustProxy });
  const serverOnly = sdkKey(deps, ["server"]);
  const anySdk = sdkKey(deps, ["server", "client"]);
  const { usage, acks } = sdkServicesFor(deps);

  app.options("/sdk/v1/*", preflight);

  app.get("/sdk/v1/ruleset.schema.json", (c) => c.json(rulesetJsonSchema() as object));

  app.get("/sdk/v1/ruleset", serverOnly, limited, (c) =>
    rulesetResponse(c, published(deps, c.get("sdkKey").environment, "server")),
  );

  app.get("/sdk/v1/client/ruleset", cors(deps), anySdk, limited, (c) =>
    rulesetResponse(c, published(deps, c.get("sdkKey").environment, "client")),
  );

  app.get("/sdk/v1/stream", cors(deps), anySdk, (c) => {
    const key = c.get("sdkKey");
    const rawLast = c.req.header("last-event-id") ?? c.req.query("lastEventId");
    const lastEventId = rawLast !== undefined && /^\d+$/.test(rawLast) ? Number(rawLast) : undefined;
    const instanceId = c.req.header(INSTANCE_HEADER) ?? c.req.query("instance") ?? null;
    const sdk = c.req.header(SDK_HEADER) ?? c.req.query("sdk") ?? null;
    if (instanceId) acks.seen(key.environment, instanceId, sdk ?? "unknown");
    return streamHubFor(deps).open(
      {
        environment: key.environment,
        audience: key.kind === "server" ? "server" : "client",
        instanceId,
        sdk,
        keyId: key.id,
      },
      lastEventId,
    );
  });

  app.post("/sdk/v1/client/evaluate", cors(deps), anySdk, limited, async (c) => {
    const { context } = await readReport(c, contextBodySchema);
    const p = published(deps, c.get("sdkKey").environment, "server");
    const decisions = evaluateAll(p.compiled, context as EvaluationContext, { clientVisibleOnly: true });
    const flags: Record<string, unknown> = {};
    for (const [flagKey, d] of Object.entries(decisions)) {
      flags[flagKey] = {
        value: d.value,
        variant: d.variant,
        reason: d.reason,
        ...(d.errorCode ? { errorCode: d.errorCode } : {}),
      };
    }
    c.header("Cache-Control", "private, no-store");
    return c.json({ environment: p.environment, version: p.version, flags });
  });

  app.post("/sdk/v1/metrics", cors(deps), anySdk, limited, async (c) => {
    const report = await readReport(c, metricsReportSchema);
    const { environment } = c.get("sdkKey");
    usage.record(environment, report.evaluations);
    acks.seen(environment, report.instanceId, report.sdk);
    for (const a of report.acks ?? [])
      acks.ack(environment, report.instanceId, report.sdk, a.version, a.appliedAt);
    return c.body(null, 202);
  });

  app.post("/sdk/v1/ack", cors(deps), anySdk, limited, async (c) => {
    const report = await readReport(c, ackReportSchema);
    const { environment } = c.get("sdkKey");
    for (const a of report.acks) acks.ack(environment, report.instanceId, report.sdk, a.version, a.appliedAt);
    if (!report.acks.length) acks.seen(environment, report.instanceId, report.sdk);
    return c.body(null, 202);
  });

  return app;
}
