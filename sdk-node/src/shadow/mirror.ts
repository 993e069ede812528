/**
 * @module HTTP shadow traffic: mirror a sampled share of incoming requests to the service that runs the new
 * code, fire-and-forget, and compare the two responses' status and body. Built on `client.shadow`, so the
 * flag's shadow rule samples, the bulkhead caps concurrent mirrors, the timeout bounds them and the
 * statistics ship like any other shadow run. Users the flag serves the candidate variation to are proxied to
 * the new upstream for real (dark launch, rollout) — with `swapRoles`, the old handler is then shadowed.
 *
 * Works with any `(Request) => Response` handler (plain `fetch` servers, Deno/Bun style) and as Hono
 * middleware, without depending on Hono. A request that already carries {@link SHADOW_HEADER} is a shadow
 * run itself: it goes to the old code and is never mirrored again (no loops between two mirrors).
 */
import type { EvaluationContext } from "@switchyard/core";
import type { SwitchyardClient } from "../client/switchyard-client.js";
import type { ShadowMarker } from "./shadow.js";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface MirrorOptions {
  /** The flag whose shadow rule samples requests (and whose candidate variation routes to `upstream`). */
  flag: string;
  /** Base URL of the new code (the request's path and query are appended), or a function of the request. */
  upstream: string | ((request: Request) => string);
  /** Who is asking, for sticky sampling and targeting (e.g. from a session header). */
  context?: (request: Request) => EvaluationContext | undefined;
  /** Compare bodies as well as status codes (default true). JSON bodies compare as values. */
  compareBody?: boolean;
  /** Bodies longer than this are compared by status and length only (default 256 KiB). */
  maxBodyBytes?: number;
  /** Bound on reading a body for comparison, so a streaming response cannot hold memory (default 5 s). */
  readTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface MirrorMiddlewareOptions extends MirrorOptions {
  /**
   * The Hono app itself. When the roles swap (`swapRoles`, a user served the new code), the old routes run
   * as the shadow through `app.fetch` with a request of their own marked {@link SHADOW_HEADER}: the rest of
   * the middleware chain cannot, as it shares one context with the response being sent.
   */
  app: { fetch: (request: Request) => Response | Promise<Response> };
}

/** Header sent with every mirrored request so the new service can tell shadow runs from real ones. */
export const SHADOW_HEADER = "x-switchyard-shadow";

interface Snapshot {
  status: number;
  json: boolean;
  body: string | undefined;
  length: number;
}

/** The old code, told whether it runs as the shadow. */
type OldCode = (request: Request, asShadow: boolean) => Response | Promise<Response>;

/**
 * Wraps a fetch handler: `serve({ fetch: mirrorRequests(client, { flag, upstream })(app.fetch) })`.
 * The caller's response is the primary path's, untouched; the mirror's outcome only reaches the statistics.
 */
export function mirrorRequests(client: SwitchyardClient, options: MirrorOptions) {
  const mirrored = mirror(client, options);
  return (handler: FetchHandler) =>
    (request: Request): Promise<Response> =>
      mirrored(request, (req) => handler(req));
}

/**
 * Hono middleware form: `app.use("/api/*", mirrorMiddleware(client, { app, flag, upstream }))`; the rest of
 * the chain is the old code.
 */
export function mirrorMiddleware(client: SwitchyardClient, options: MirrorMiddlewareOptions) {
  const mirrored = mirror(client, options);
  return async (
    c: { req: { raw: Request }; res: Response },
    next: () => Promise<void>,
  ): Promise<Response | undefined> => {
    if (c.req.raw.headers.has(SHADOW_HEADER)) {
      await next();
      return undefined;
    }
    return mirrored(c.req.raw, async (request, asShadow) => {
      if (asShadow) return options.app.fetch(markedAsShadow(request));
      await next();
      return c.res;
    });
  };
}

function mirror(client: SwitchyardClient, options: MirrorOptions) {
  const send = options.fetch ?? fetch;
  const maxBytes = options.maxBodyBytes ?? 256 * 1024;
  const readTimeoutMs = options.readTimeoutMs ?? 5000;
  const compareBody = options.compareBody ?? true;

  return async (request: Request, old: OldCode): Promise<Response> => {
    if (request.headers.has(SHADOW_HEADER)) return old(request, false);
    /** Made only for sampled calls: the new service reads it, whichever side it is on. */
    let copy: Request | undefined;
    let primaryResponse: Response | undefined;
    let primaryCopy: Response | undefined;

    const forward = async (marker: ShadowMarker) => {
      const req = copy ?? request;
      const response = await send(upstreamUrl(options.upstream, req), {
        method: req.method,
        headers: forwardHeaders(req.headers, marker.shadow),
        body: req.method === "GET" || req.method === "HEAD" ? undefined : req.body,
        redirect: "manual",
        signal: marker.shadow ? marker.signal : undefined,
        duplex: "half",
      } as RequestInit);
      return asServed(response);
    };

    /** Runs one side; the primary keeps a copy of its response only when the call is compared. */
    const side =
      (run: (marker: ShadowMarker) => Response | Promise<Response>) =>
      async (marker: ShadowMarker): Promise<Response> => {
        const response = await run(marker);
        if (!marker.shadow && copy) {
          primaryResponse = response;
          primaryCopy = response.clone();
        }
        return response;
      };

    const snapshots = new Map<Response, Snapshot>();
    const snapshot = async (response: Response) => {
      const taken = await read(
        response === primaryResponse ? (primaryCopy as Response) : response,
        maxBytes,
        readTimeoutMs,
      );
      snapshots.set(response, taken);
      return taken;
    };

    return client.shadow(options.flag, options.context?.(request), {
      beforeShadow: () => {
        copy = request.clone();
      },
      // The old code always gets the request itself (in middleware form it reads it from its context).
      control: side((marker) => old(request, marker.shadow)),
      candidate: side(forward),
      compare: async (control, candidate) => {
        const [a, b] = await Promise.all([snapshot(control), snapshot(candidate)]);
        return sameResponse(a, b, compareBody);
      },
      describe: (response) => {
        const s = snapshots.get(response);
        return s ? { status: s.status, body: s.body ?? `(${s.length} bytes, not compared)` } : null;
      },
    });
  };
}

/** A copy of the request (same body) that says it is a shadow run. */
function markedAsShadow(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set(SHADOW_HEADER, "1");
  return new Request(request, { headers });
}

/**
 * The upstream's response as it can be served again: fetch has already decoded the body, so the encoding
 * and length it came with no longer describe it.
 */
function asServed(response: Response): Response {
  if (!response.headers.has("content-encoding")) return response;
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.delete("content-length");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function upstreamUrl(upstream: MirrorOptions["upstream"], request: Request): string {
  if (typeof upstream === "function") return upstream(request);
  const url = new URL(request.url);
  const base = new URL(upstream);
  base.pathname = base.pathname.replace(/\/$/, "") + url.pathname;
  base.search = url.search;
  return base.toString();
}

const HOP_BY_HOP = ["host", "connection", "content-length", "keep-alive", "transfer-encoding", "upgrade"];

function forwardHeaders(source: Headers, shadow: boolean): Headers {
  const headers = new Headers(source);
  for (const name of HOP_BY_HOP) headers.delete(name);
  if (shadow) headers.set(SHADOW_HEADER, "1");
  return headers;
}

/** Reads at most `maxBytes` of a body, giving up after `timeoutMs`; the rest is cancelled. */
async function read(response: Response, maxBytes: number, timeoutMs: number): Promise<Snapshot> {
  const json = /\bjson\b/i.test(response.headers.get("content-type") ?? "");
  const reader = response.body?.getReader();
  if (!reader) return { status: response.status, json, body: "", length: 0 };
  const chunks: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  const timer = setTimeout(() => {
    truncated = true;
    reader.cancel().catch(() => {});
  }, timeoutMs);
  timer.unref?.();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxBytes) {
        truncated = true;
        await reader.cancel();
        break;
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  const body = truncated ? undefined : Buffer.concat(chunks).toString("utf8");
  return { status: response.status, json, body, length };
}

function sameResponse(a: Snapshot, b: Snapshot, compareBody: boolean): boolean {
  if (a.status !== b.status) return false;
  if (!compareBody) return true;
  if (a.body === undefined || b.body === undefined) return a.length === b.length;
  if (a.json && b.json) {
    try {
      return canonical(JSON.parse(a.body)) === canonical(JSON.parse(b.body));
    } catch {
      // Not valid JSON after all: compare the text.
    }
  }
  return a.body === b.body;
}

/** JSON text with object keys sorted, so key order does not count as a mismatch. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
