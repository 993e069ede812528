/**
 * @module Local mode: the browser-safe ruleset lives in the page and every read is evaluated synchronously.
 * Fresh rules come over the stream (`put`/`patch`), or by polling `GET /sdk/v1/client/ruleset` with `ETag`.
 */
import { CLIENT_RULESET_PATH, type Ruleset, STREAM_PATH } from "@switchyard/core";
import { createStorageCache } from "../cache/storage-cache.js";
import { SDK_NAME } from "../reports/reporter.js";
import { request } from "../sync/http.js";
import { createSync } from "../sync/sync.js";
import { createRules, looksLikeRuleset } from "./rules.js";
import { isEvaluated, type Source, type SourceHost } from "./source.js";

export function createLocalSource(host: SourceHost): Source {
  const rules = createRules();
  const cache = createStorageCache<Ruleset>(
    host.storage,
    `${host.base}|${host.clientKey}|local`,
    host.maxCacheBytes,
    looksLikeRuleset,
  );
  let etag: string | undefined;
  let acked = -1;
  const version = () => rules.current?.version ?? -1;
  const show = () => host.show(rules.evaluate(host.context()));
  /** The server sent rules: persist a new version, and tell the server which version this browser holds. */
  const applied = (changed: boolean | undefined) => {
    if (changed === undefined) return; // invalid: keep the last good rules
    if (changed) {
      show();
      cache.save(rules.current!);
    }
    host.status("ready");
    if (rules.current && version() !== acked) {
      acked = version();
      host.ack(acked);
    }
  };
  const q = encodeURIComponent;
  const streamUrl = `${host.base}${STREAM_PATH}?key=${q(host.clientKey)}&sdk=${q(SDK_NAME)}&instance=${q(host.instanceId)}&lastEventId=`;

  const sync = createSync({
    pollIntervalMs: host.pollIntervalMs,
    status: host.status,
    async fetchOnce() {
      const res = await request(host.base + CLIENT_RULESET_PATH, host.clientKey, etag);
      if (res.status === 304) return "ready";
      const changed = res.status === 200 ? rules.put(res.body) : undefined;
      if (changed === undefined) return "stale";
      etag = res.etag;
      applied(changed);
      return "ready";
    },
    stream: host.streaming
      ? {
          url: () => streamUrl + (rules.current ? version() : ""),
          events: {
            put: (data) => applied(rules.put(data)),
            patch(data) {
              if (rules.patch(data)) applied(true);
              else void sync.refresh(); // it does not fit the rules held: fetch them whole
            },
            ping() {},
          },
        }
      : undefined,
  });

  return {
    sync,
    version,
    boot(bootstrap) {
      if (bootstrap && isEvaluated(bootstrap)) return host.show(bootstrap.flags);
      if (rules.put(bootstrap) || rules.put(cache.load())) show();
    },
    async contextChanged() {
      show();
    },
  };
}
