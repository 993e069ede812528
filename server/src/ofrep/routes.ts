/**
 * @module OpenFeature Remote Evaluation Protocol (spec 0.3.0, see shared/openfeature/): single-flag and
 * bulk evaluation, ETag/304 on bulk, and an SSE stream of `refetchEvaluation` messages for browsers, so
 * any OpenFeature OFREP provider works against Switchyard. Server keys see every flag; client keys see
 * client-visible flags only.
 */
import {
  type CompiledRuleset,
  type Decision,
  type EvaluationContext,
  evaluate,
  evaluateFlag,
  murmur3,
} from "@switchyard/core";
import { type Context, Hono } from "hono";
import type { AppDeps } from "../deps.js";
import { NotFoundError } from "../problem/errors.js";
import { type SdkEnv, type SdkKey, sdkKey } from "../sdk/auth.js";
import { cors, preflight } from "../sdk/cors.js";
import { rateLimit } from "../sdk/rate-limit.js";
import { matchesEtag } from "../sdk/routes.js";
import { streamHubFor } from "../sdk/stream.js";

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8" };

type OfrepError = "PARSE_ERROR" | "INVALID_CONTEXT" | "TARGETING_KEY_MISSING" | "FLAG_NOT_FOUND" | "GENERAL";

/** Parses `{ context }`; an OFREP error code when the body is unusable. */
async function readContext(
  c: Context,
): Promise<{ context: EvaluationContext } | { error: OfrepError; details: string }> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    return { error: "PARSE_ERROR", details: "The body is not valid JSON." };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { error: "PARSE_ERROR", details: "The body must be a JSON object { context }." };
  }
  const context = (body as { context?: unknown }).context ?? {};
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    return { error: "INVALID_CONTEXT", details: "context must be an object." };
  }
  const targetingKey = (context as EvaluationContext).targetingKey;
  if (targetingKey !== undefined && typeof targetingKey !== "string") {
    return { error: "INVALID_CONTEXT", details: "context.targetingKey must be a string." };
  }
  return { context: context as EvaluationContext };
}

/** The compiled ruleset a key may evaluate: client keys only reach client-visible flags. */
function rulesetFor(deps: AppDeps, key: SdkKey): CompiledRuleset {
  const published = deps.rulesets.server(key.environment);
  if (!published) throw new NotFoundError(`Environment ${key.environment} has no ruleset.`);
  return published.compiled;
}

const visible = (ruleset: CompiledRuleset, key: SdkKey, flagKey: string) =>
  ruleset.has(flagKey) &&
  (key.kind === "server" || ruleset.flags.get(flagKey)?.source.clientVisible === true);

/** One evaluation as OFREP shapes it: success, or `{ key, errorCode, errorDetails }`. */
function toOfrep(flagKey: string, ruleset: CompiledRuleset, d: Decision) {
  if (d.reason === "ERROR")
    return { key: flagKey, errorCode: d.errorCode ?? "GENERAL", errorDetails: d.errorMessage };
  const flag = ruleset.flags.get(flagKey);
  return {
    key: flagKey,
    value: d.value,
    reason: d.reason,
    variant: d.variant,
    metadata: { version: flag?.source.version ?? 0, ...(d.ruleId ? { ruleId: d.ruleId } : {}) },
  };
}

/**
 * Per compiled ruleset and key kind, the flags a bulk evaluation visits, each with a cache of its frozen
 * decisions' OFREP JSON (constant answers and compiled rules' decisions are shared frozen objects): a
 * bulk evaluation of 1,000 flags walks an array and joins strings instead of serialising objects.
 */
type CompiledFlag = NonNullable<ReturnType<CompiledRuleset["flags"]["get"]>>;
interface BulkEntry {
  key: string;
  flag: CompiledFlag;
  json: Map<Decision, string>;
}
const bulkPlans = new WeakMap<CompiledRuleset, { server: BulkEntry[]; client: BulkEntry[] }>();

function bulkPlan(ruleset: CompiledRuleset, kind: SdkKey["kind"]): BulkEntry[] {
  let plan = bulkPlans.get(ruleset);
  if (!plan) {
    const server = [...ruleset.flags].map(([key, flag]) => ({ key, flag, json: new Map() }));
    plan = { server, client: server.filter((e) => e.flag.source.clientVisible === true) };
    bulkPlans.set(ruleset, plan);
  }
  return kind === "server" ? plan.server : plan.client;
}

function fragmentOf(entry: BulkEntry, ruleset: CompiledRuleset, d: Decision): string {
  let json = entry.json.get(d);
  if (json === undefined) {
    json = JSON.stringify(toOfrep(entry.key, ruleset, d));
    if (Object.isFrozen(d)) entry.json.set(d, json);
  }
  return json;
}

const failure = (body: object, status: 400 | 404) =>
  new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });

export function ofrepRoutes(deps: AppDeps) {
  const app = new Hono<SdkEnv>();
  const auth = sdkKey(deps, ["server", "client"]);
  const limited = rateLimit({ trustProxy: deps.config.trustProxy });

  app.options("/ofrep/v1/*", preflight);

  app.post("/ofrep/v1/evaluate/flags/:key", cors(deps), auth, limited, async (c) => {
    const flagKey = c.req.param("key");
    const parsed = await readContext(c);
    if ("error" in parsed)
      return failure({ key: flagKey, errorCode: parsed.error, errorDetails: parsed.details }, 400);
    const key = c.get("sdkKey");
    const ruleset = rulesetFor(deps, key);
    if (!visible(ruleset, key, flagKey)) {
      return failure(
        { key: flagKey, errorCode: "FLAG_NOT_FOUND", errorDetails: `Flag ${flagKey} not found.` },
        404,
      );
    }
    const body = toOfrep(flagKey, ruleset, evaluate(ruleset, flagKey, parsed.context, null));
    if ("errorCode" in body) return failure(body, 400);
    return new Response(JSON.stringify(body), { headers: JSON_HEADERS });
  });

  app.post("/ofrep/v1/evaluate/flags", cors(deps), auth, limited, async (c) => {
    const parsed = await readContext(c);
    if ("error" in parsed) return failure({ errorCode: parsed.error, errorDetails: parsed.details }, 400);
    const key = c.get("sdkKey");
    const ruleset = rulesetFor(deps, key);
    // Same ruleset version and same context give the same evaluations: the ETag needs no evaluation.
    const raw = JSON.stringify(parsed.context);
    const etag = `"${key.kind[0]}${ruleset.version}-${murmur3(raw).toString(36)}-${murmur3(raw, 1).toString(36)}"`;
    const headers = { ...JSON_HEADERS, ETag: etag, "Cache-Control": "private, no-cache" };
    if (matchesEtag(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
    const plan = bulkPlan(ruleset, key.kind);
    const fragments = new Array<string>(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const entry = plan[i] as BulkEntry;
      fragments[i] = fragmentOf(entry, ruleset, evaluateFlag(ruleset, entry.flag, parsed.context));
    }
    const secret = c.req.query("key") ?? (key.kind === "client" ? secretOf(c) : undefined);
    const stream = {
      type: "sse",
      endpoint: { requestUri: `/ofrep/v1/stream?key=${encodeURIComponent(secret ?? "")}` },
    };
    const streams = secret ? `,"eventStreams":${JSON.stringify([stream])}` : "";
    return new Response(`{"flags":[${fragments.join(",")}]${streams}}`, { headers });
  });

  app.get("/ofrep/v1/stream", cors(deps), auth, (c) => refetchStream(deps, c.get("sdkKey")));

  return app;
}

function secretOf(c: Context): string | undefined {
  const header = c.req.header("authorization") ?? c.req.header("x-api-key");
  return header?.replace(/^Bearer\s+/i, "").trim() || undefined;
}

/** SSE for OFREP web providers: each new ruleset version asks them to refetch the bulk evaluation. */
function refetchStream(deps: AppDeps, { environment, id: keyId }: SdkKey): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (version: number) => {
        try {
          controller.enqueue(
            encoder.encode(
              `data: ${JSON.stringify({ type: "refetchEvaluation", etag: String(version) })}\n\n`,
            ),
          );
        } catch {
          stop();
        }
      };
      const off = deps.rulesets.subscribe(environment, (update) => send(update.server.version));
      const ping = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": ping\n\n"));
        } catch {
          stop();
        }
      }, 15_000);
      ping.unref?.();
      const untrack = streamHubFor(deps).track(() => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      }, keyId);
      stop = () => {
        off();
        clearInterval(ping);
        untrack();
      };
      controller.enqueue(encoder.encode(": connected\n\n"));
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
