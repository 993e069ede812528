/**
 * @module HTTP shadow traffic: mirror a sampled share of incoming requests to the service that runs the new
 * code, fire-and-forget, and compare the two responses' status and body. Built on `client.shadow`, so the
 * flag's shadow rule samples, the bulkhead caps concurrent mirrors, the timeout bounds them and the
 * statistics ship like any other shadow run. Users the flag serves the candidate variation to are proxied to
 * the new upstream for real (dark launch, rollout) — with `swapRoles`, the old handler is then shadowed.
 *
 * Works with any `(Request) => Response` handler (plain `fetch` servers, Deno/Bun style) and as Hono
 * middleware, without depending on Hono.
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

/** Header sent with every mirrored request so the new service can tell shadow runs from real ones. */
export const SHADOW_HEADER = "x-switchyard-shadow";

interface Snapshot {
  status: number;
  json: boolean;
  body: string | undefined;
  length: number;
}

/**
 * Wraps a fetch handler: `serve({ fetch: mirrorRequests(client, { flag, upstream })(app.fetch) })`.
 * The caller's response is the primary path's, untouched; the mirror's outcome only reaches the statistics.
 */
export function mirrorRequests(client: SwitchyardClient, options: MirrorOptions) {
  const send = options.fetch ?? fetch;
  const maxBytes = options.maxBodyBytes ?? 256 * 1024;
  const readTimeoutMs = options.readTimeoutMs ?? 5000;
  const compareBody = options.compareBody ?? true;

  return (handler: FetchHandler) =>
    async (request: Request): Promise<Response> => {
      let copy: Request | undefined;
      let primaryResponse: Response | undefined;
      let primaryCopy: Response | undefined;

      const forward = (req: Request, marker: ShadowMarker) =>
        send(upstreamUrl(options.upstream, req), {
          method: req.method,
          headers: forwardHeaders(req.headers, marker.shadow),
          body: req.method === "GET" || req.method === "HEAD" ? undefined : req.body,
          redirect: "manual",
          signal: marker.shadow ? marker.signal : undefined,
          duplex: "half",
        } as RequestInit);

      /** Runs one side; the primary keeps a copy of its response only when the call is compared. */
      const side =
        (run: (req: Request, marker: ShadowMarker) => Response | Promise<Response>) =>
        async (marker: ShadowMarker): Promise<Response> => {
          const response = await run(marker.shadow ? (copy as Request) : request, marker);
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
        control: side((req) => handler(req)),
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

/** Hono middleware form: `app.use("/api/*", mirrorMiddleware(client, { flag, upstream }))`. */
export function mirrorMiddleware(client: SwitchyardClient, options: MirrorOptions) {
  const mirror = mirrorRequests(client, options);
  return async (c: { req: { raw: Request }; res: Response }, next: () => Promise<void>) =>
    mirror(async () => {
      await next();
      return c.res;
    })(c.req.raw);
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
