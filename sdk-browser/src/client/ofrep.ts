/**
 * @module What the OFREP bulk evaluation answers (spec 0.3.0, see shared/openfeature/), read defensively:
 * the evaluated flags, and the event stream that announces configuration changes.
 */
import type { ErrorCode, JsonValue } from "@switchyard/core";
import type { EvaluatedFlags } from "./types.js";

interface OfrepFlag {
  key?: unknown;
  value?: JsonValue;
  variant?: string;
  reason?: string;
  errorCode?: ErrorCode;
}

/** OFREP `flags: [...]` as an evaluated map; elements without a string key are dropped (as the spec says). */
export function fromOfrep(body: unknown): EvaluatedFlags["flags"] | undefined {
  const list = (body as { flags?: unknown })?.flags;
  if (!Array.isArray(list)) return undefined;
  const flags: EvaluatedFlags["flags"] = {};
  for (const f of list as OfrepFlag[]) {
    if (typeof f?.key !== "string") continue;
    flags[f.key] = f.errorCode
      ? { value: null, reason: "ERROR", errorCode: f.errorCode }
      : { value: f.value ?? null, variant: f.variant, reason: f.reason ?? "UNKNOWN" };
  }
  return flags;
}

interface OfrepEventStream {
  type?: unknown;
  url?: unknown;
  endpoint?: { origin?: unknown; requestUri?: unknown };
}

/**
 * The first SSE entry of a bulk answer's `eventStreams` as a URL: its `url`, or `origin + requestUri` with the
 * origin defaulting to the OFREP base URL's. Entries of unknown types are ignored, as the spec says.
 */
export function eventStreamUrl(body: unknown, base: string): string | undefined {
  const streams = (body as { eventStreams?: unknown })?.eventStreams;
  for (const s of Array.isArray(streams) ? (streams as OfrepEventStream[]) : []) {
    if (s?.type !== "sse") continue;
    const { origin, requestUri } = s.endpoint ?? {};
    try {
      if (typeof s.url === "string") return new URL(s.url).href;
      if (typeof requestUri === "string" && requestUri.startsWith("/"))
        return new URL(requestUri, typeof origin === "string" ? origin : base).href;
    } catch {
      // not a URL: try the next entry
    }
  }
  return undefined;
}
