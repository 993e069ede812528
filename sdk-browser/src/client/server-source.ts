/**
 * @module Server-evaluated mode: no rules in the page. The values for the current context come from the
 * OFREP bulk endpoint (`POST /ofrep/v1/evaluate/flags`, `ETag`/304), are cached per targeting key, and are
 * refreshed by polling, when the page is shown again, and when the context changes.
 */
import type { ErrorCode, JsonValue } from "@switchyard/core";
import { createStorageCache } from "../cache/storage-cache.js";
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
  /** Targeting key the values were evaluated for. */
  user: string;
  etag?: string;
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

export function createServerSource(host: SourceHost): Source {
  const cache = createStorageCache<CachedValues>(
    host.storage,
    `${host.base}|${host.clientKey}|server`,
    host.maxCacheBytes,
    (v): v is CachedValues => isEvaluated(v) && typeof (v as CachedValues).user === "string",
  );
  const user = () => String(host.context().targetingKey ?? "");
  let etag: string | undefined;

  const sync = createSync({
    pollIntervalMs: host.pollIntervalMs,
    status: host.status,
    async fetchOnce() {
      const res = await request(`${host.base}/ofrep/v1/evaluate/flags`, host.clientKey, etag, {
        context: host.context(),
      });
      if (res.status === 304) return "ready";
      const flags = res.status === 200 ? fromOfrep(res.body) : undefined;
      if (!flags) return "stale";
      etag = res.etag;
      host.show(flags);
      cache.save({ user: user(), etag, flags });
      return "ready";
    },
  });

  return {
    sync,
    version: () => -1,
    boot(bootstrap) {
      if (bootstrap && isEvaluated(bootstrap)) return host.show(bootstrap.flags);
      const cached = cache.load();
      if (cached?.user === user()) {
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
