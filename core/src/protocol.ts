/**
 * @module The SDK protocol: the HTTP endpoints, headers, stream events and report payloads that the server
 * serves and both SDKs speak. Types only (plus constants), so it costs the browser bundle nothing.
 *
 * Endpoints (relative to the server's base URL):
 * - `GET  /sdk/v1/ruleset`         server key → full {@link Ruleset}; `ETag`, `If-None-Match` → 304.
 * - `GET  /sdk/v1/client/ruleset`  client key → browser-safe {@link Ruleset} (client-visible flags only,
 *                                  target and segment keys hashed); `ETag` / 304.
 * - `GET  /sdk/v1/stream`          Server-Sent Events: server key → full rulesets; client key → browser-safe.
 *                                  `Last-Event-ID` (or `?lastEventId=`) resumes with deltas when possible.
 * - `POST /sdk/v1/client/evaluate` client key, body `{ context }` → {@link ClientEvaluation}.
 * - `POST /sdk/v1/metrics`         any SDK key, body {@link MetricsReport} → 202.
 * - `POST /sdk/v1/ack`             any SDK key, body {@link AckReport} → 202.
 * - `POST /sdk/v1/shadow`          server key, body {@link ShadowReport} → 202.
 * - `POST /ofrep/v1/evaluate/flags[/{key}]` — OpenFeature Remote Evaluation Protocol.
 *
 * Authentication: `Authorization: <key>`, `Authorization: Bearer <key>` or `X-API-Key: <key>`. Because
 * browsers cannot set headers on `EventSource` or `sendBeacon`, client keys are also accepted as `?key=`.
 * Report bodies may arrive as `text/plain` (what `sendBeacon` sends without a CORS preflight).
 */
import type { ErrorCode, JsonValue, Reason, Ruleset, RulesetDelta } from "./model.js";

/** The browser's paths one by one too: a bundle keeps an object whole, but drops constants it does not use. */
export const CLIENT_RULESET_PATH = "/sdk/v1/client/ruleset";
export const STREAM_PATH = "/sdk/v1/stream";
export const METRICS_PATH = "/sdk/v1/metrics";
export const ACK_PATH = "/sdk/v1/ack";

export const SDK_PATHS = {
  ruleset: "/sdk/v1/ruleset",
  clientRuleset: CLIENT_RULESET_PATH,
  stream: STREAM_PATH,
  clientEvaluate: "/sdk/v1/client/evaluate",
  metrics: METRICS_PATH,
  ack: ACK_PATH,
  shadow: "/sdk/v1/shadow",
} as const;

/** Header carrying the SDK instance's stable id on stream connections and reports. */
export const INSTANCE_HEADER = "X-Switchyard-Instance";
/** Header (or `?sdk=` on EventSource) naming the SDK: e.g. `sdk-node/0.1.0`. */
export const SDK_HEADER = "X-Switchyard-SDK";

/**
 * Stream events. Each SSE message has `id: <ruleset version>` and one of these `event:` names; `data` is JSON.
 * - `put`:   a whole {@link Ruleset} (on connect, or when a delta cannot be built). Replaces what the SDK has.
 * - `patch`: a {@link RulesetDelta}. Applies only if the SDK holds `fromVersion`; otherwise the SDK refetches
 *            the full ruleset (or reconnects) rather than guess.
 * - `ping`:  heartbeat, data `{}` — sent every {@link HEARTBEAT_MS}; an SDK that hears nothing for
 *            three heartbeats treats the stream as dead and reconnects.
 */
export type StreamEvent =
  | { event: "put"; id: string; data: Ruleset }
  | { event: "patch"; id: string; data: RulesetDelta }
  | { event: "ping"; id?: undefined; data: Record<string, never> };

export const HEARTBEAT_MS = 15_000;

/** Evaluation counts for one flag and variant in one report window. */
export interface EvaluationCount {
  flag: string;
  variant: string | null;
  count: number;
}

/** Batched evaluation metrics, posted every flush interval and on close. */
export interface MetricsReport {
  instanceId: string;
  sdk: string;
  /** Window start and end, epoch milliseconds (the SDK's clock). */
  start: number;
  end: number;
  evaluations: EvaluationCount[];
  /** Evaluations counted but not sent because the SDK's bounded buffer was full. */
  dropped?: number;
  /** Ruleset versions applied since the last report (acks may also be sent on their own, see {@link AckReport}). */
  acks?: AckEntry[];
}

export interface AckEntry {
  version: number;
  /** Epoch milliseconds on the SDK's clock when the version was applied. */
  appliedAt: number;
}

/**
 * Delivery confirmation: sent right after an SDK applies a new ruleset version, so the server can tell
 * whether a kill switch has reached every connected instance.
 */
export interface AckReport {
  instanceId: string;
  sdk: string;
  acks: AckEntry[];
}

/** Server-evaluated flags for one context: what `POST /sdk/v1/client/evaluate` answers. */
export interface ClientEvaluation {
  environment: string;
  version: number;
  flags: Record<string, { value: JsonValue; variant?: string; reason: Reason; errorCode?: ErrorCode }>;
}

/** Upper bounds (ms) of the shadow latency histogram buckets; a histogram has one more, overflow, bucket. */
export const SHADOW_LATENCY_BUCKETS_MS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
] as const;

/** What one SDK instance saw of one flag's shadow runs in a report window. */
export interface ShadowFlagReport {
  calls: number;
  shadowed: number;
  matches: number;
  mismatches: number;
  candidateErrors: number;
  controlErrors: number;
  timeouts: number;
  /** Sampled calls not run because the flag's concurrent shadow runs were at their cap. */
  skipped: number;
  /** Counts per {@link SHADOW_LATENCY_BUCKETS_MS} bucket, plus the overflow bucket. */
  controlLatency: number[];
  candidateLatency: number[];
  /** A few mismatches, already redacted by the application. */
  samples: { control: JsonValue; candidate: JsonValue; at: number }[];
}

/** Shadow statistics, batched like evaluation metrics. */
export interface ShadowReport {
  instanceId: string;
  sdk: string;
  start: number;
  end: number;
  flags: Record<string, ShadowFlagReport>;
}
