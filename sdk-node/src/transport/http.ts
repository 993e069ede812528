/**
 * @module The SDK's HTTP calls to the server: fetching the ruleset with `ETag`, posting reports. Every call
 * carries the SDK key, the SDK name and the instance id, and is bounded by a timeout and by the client's
 * close signal.
 */
import { INSTANCE_HEADER, SDK_HEADER, SDK_PATHS } from "@switchyard/core";
import { SDK_NAME } from "../version.js";

export type FetchLike = typeof globalThis.fetch;

export interface HttpConfig {
  /** Server base URL, without a trailing slash. */
  baseUrl: string;
  sdkKey: string;
  instanceId: string;
  fetch: FetchLike;
  requestTimeoutMs: number;
}

/** The server answered, but not with success. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    /** From `Retry-After`, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(`${path} answered HTTP ${status}${status === 401 || status === 403 ? " (check the SDK key)" : ""}`);
    this.name = "HttpStatusError";
  }
}

export function sdkHeaders(config: HttpConfig): Record<string, string> {
  return {
    authorization: `Bearer ${config.sdkKey}`,
    [SDK_HEADER]: SDK_NAME,
    [INSTANCE_HEADER]: config.instanceId,
  };
}

export function withTimeout(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export type RulesetResponse =
  | { status: "not-modified" }
  | { status: "ok"; body: unknown; etag: string | undefined };

/** `GET /sdk/v1/ruleset`; a body that is not JSON rejects with a `SyntaxError`. */
export async function fetchRuleset(
  config: HttpConfig,
  etag: string | undefined,
  signal: AbortSignal,
): Promise<RulesetResponse> {
  const headers = sdkHeaders(config);
  headers.accept = "application/json";
  if (etag) headers["if-none-match"] = etag;
  const response = await config.fetch(config.baseUrl + SDK_PATHS.ruleset, {
    headers,
    signal: withTimeout(signal, config.requestTimeoutMs),
  });
  if (response.status === 304) {
    await response.body?.cancel();
    return { status: "not-modified" };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpStatusError(
      response.status,
      SDK_PATHS.ruleset,
      retryAfterMs(response.headers.get("retry-after")),
    );
  }
  const text = await response.text();
  return { status: "ok", body: JSON.parse(text), etag: response.headers.get("etag") ?? undefined };
}

/** POSTs a JSON report; resolves on any 2xx. */
export async function postReport(
  config: HttpConfig,
  path: string,
  body: unknown,
  signal: AbortSignal,
): Promise<void> {
  const headers = sdkHeaders(config);
  headers["content-type"] = "application/json";
  const response = await config.fetch(config.baseUrl + path, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
    signal: withTimeout(signal, config.requestTimeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) {
    throw new HttpStatusError(response.status, path, retryAfterMs(response.headers.get("retry-after")));
  }
}
