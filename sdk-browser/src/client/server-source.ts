/**
 * @module Server-evaluated mode: no rules in the page. The values for the current context come from the
 * OFREP bulk endpoint (`POST /ofrep/v1/evaluate/flags`, `ETag`/304), are cached with a hash of the context they
 * were evaluated for, and are refreshed by polling, when the page is shown again, and when the context changes.
 */
import type { ErrorCode, JsonValue } from "@switchyard/core";
import { createStorageCache, fingerprint } from "../cache/storage-cache.js";
import { request } from "../sync/http.js";
import { createSync } from "../sync/sync.js";
import { isEvaluated, type Source, type SourceHost } from "./source.js";
import type { EvaluatedFlags } from "./types.js";

interface OfrepFlag {
  key?: unknown;
  value?: JsonValue;
  variant?: string;
  reason?: string;
  errorCode?: ErrorCode;
}

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

export function createServerSource(host: SourceHost): Source {
  const cache = createStorageCache<CachedValues>(
    host.storage,
    `${host.base}|${host.clientKey}|server`,
    host.maxCacheBytes,
    (v): v is CachedValues => isEvaluated(v) && typeof (v as CachedValues).context === "string",
  );
  let etag: string | undefined;

  const sync = createSync({
    pollIntervalMs: host.pollIntervalMs,
    status: host.status,
    async fetchOnce() {
      const sent = host.context();
      const res = await request(`${host.base}/ofrep/v1/evaluate/flags`, host.clientKey, etag, {
        context: sent,
      });
      // 304, or values for a context already replaced (the request for the new one is on its way)
      if (res.status === 304 || sent !== host.context()) return "ready";
      const flags = res.status === 200 ? fromOfrep(res.body) : undefined;
      if (!flags) return "stale";
      etag = res.etag;
      host.show(flags);
      cache.save({ context: contextHash(sent), etag, flags });
      return "ready";
    },
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
