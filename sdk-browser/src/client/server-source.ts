/**
 * @module Server-evaluated mode: no rules in the page. The values for the current context come from the
 * OFREP bulk endpoint (`POST /ofrep/v1/evaluate/flags`, `ETag`/304), are cached with a hash of the context they
 * were evaluated for, and are refetched when the OFREP event stream the server names in `eventStreams` says
 * the configuration changed (polling when there is none or it fails), when the page is shown again, and when
 * the context changes.
 */
import { createStorageCache, fingerprint } from "../cache/storage-cache.js";
import { request } from "../sync/http.js";
import { createSync } from "../sync/sync.js";
import { eventStreamUrl, fromOfrep } from "./ofrep.js";
import { isEvaluated, type Source, type SourceHost } from "./source.js";
import type { EvaluatedFlags } from "./types.js";

interface CachedValues extends EvaluatedFlags {
  /** `contextHash` of the context the values were evaluated for. */
  context: string;
  etag?: string;
}

const sortedKeys = (_key: string, value: unknown) =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
    : value;

/**
 * The whole context (every attribute, not only the targeting key: values depend on all of them), as the server
 * receives it, with keys sorted at every depth so the same context in another key order hashes alike.
 */
export const contextHash = (context: unknown): string =>
  fingerprint(JSON.stringify(context, sortedKeys) ?? "");

export function createServerSource(host: SourceHost): Source {
  const cache = createStorageCache<CachedValues>(
    host.storage,
    `${host.base}|${host.clientKey}|server`,
    host.maxCacheBytes,
    (v): v is CachedValues => isEvaluated(v) && typeof (v as CachedValues).context === "string",
  );
  let etag: string | undefined;
  let streamUrl: string | undefined;
  /** The `etag` of the change notice that asked for the next fetch (sent as `flagConfigEtag`). */
  let noticeEtag: string | undefined;

  const sync = createSync({
    pollIntervalMs: host.pollIntervalMs,
    status: host.status,
    async fetchOnce() {
      const sent = host.context();
      const query = noticeEtag ? `?flagConfigEtag=${encodeURIComponent(noticeEtag)}` : "";
      noticeEtag = undefined;
      const res = await request(`${host.base}/ofrep/v1/evaluate/flags${query}`, host.clientKey, etag, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ context: sent }),
      });
      // 304, or values for a context already replaced (the request for the new one is on its way)
      if (res.status === 304 || sent !== host.context()) return "ready";
      const flags = res.status === 200 ? fromOfrep(res.body) : undefined;
      if (!flags) return "stale";
      etag = res.etag;
      streamUrl = eventStreamUrl(res.body, host.base);
      host.show(flags);
      cache.save({ context: contextHash(sent), etag, flags });
      return "ready";
    },
    stream: host.streaming
      ? {
          url: () => streamUrl,
          events: {
            message(data) {
              const notice = data as { type?: unknown; etag?: unknown } | null;
              if (notice?.type !== "refetchEvaluation") return; // other types: ignored, as the spec says
              noticeEtag = typeof notice.etag === "string" ? notice.etag : undefined;
              void sync.refresh();
            },
          },
          heartbeatMs: 0, // the server's heartbeats are SSE comments
          opened: () => void sync.refresh(), // changes may have been missed while not connected
        }
      : undefined,
  });

  return {
    sync,
    version: () => -1,
    boot(bootstrap) {
      if (bootstrap && isEvaluated(bootstrap)) return host.show(bootstrap.flags);
      const cached = cache.load();
      if (cached?.context === contextHash(host.context())) {
        etag = cached.etag;
        host.show(cached.flags);
      }
    },
    contextChanged() {
      etag = undefined; // the ETag describes another context's values
      return sync.refresh();
    },
  };
}
