/**
 * @module `createBrowserClient`: flags evaluated in the page, synchronously, kept fresh in the background.
 *
 * @example
 * const flags = createBrowserClient({ url: "https://flags.example.com", clientKey, context: { targetingKey: user.id } });
 * if (flags.getValue("new-checkout", false)) showNewCheckout();
 * flags.subscribe("new-checkout", () => rerender());
 */
import type { EvaluationContext, JsonValue } from "@switchyard/core";
import { defaultStorage } from "../cache/storage-cache.js";
import { createReporter } from "../reports/reporter.js";
import { createDecisions, listen } from "./decisions.js";
import { createLocalSource } from "./local-source.js";
import type { SourceHost } from "./source.js";
import type { BrowserClient, BrowserClientOptions, ConnectionStatus, FlagDetail } from "./types.js";

const METRICS_INTERVAL_MS = 60_000;

const randomId = () => globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);

/** JSON types must agree; a `null` default accepts anything, object defaults accept objects and arrays. */
const sameType = (value: unknown, fallback: unknown) =>
  fallback === null || (value !== null && typeof value === typeof fallback);

/** Throws only for a wiring mistake (no `url` or `clientKey`); reads and updates never throw. */
export function createBrowserClient(options: BrowserClientOptions): BrowserClient {
  if (!options?.url || !options.clientKey)
    throw new TypeError("createBrowserClient needs { url, clientKey }");
  const base = options.url.replace(/\/+$/, "");
  const instanceId = options.instanceId ?? randomId();
  const decisions = createDecisions();
  const reporter = createReporter(base, options.clientKey, instanceId);
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let context: EvaluationContext = { ...options.context };
  let status: ConnectionStatus | "loading" = "loading";
  let hasData = false;
  let settle: (ok: boolean) => void = () => {};
  const readyOnce = new Promise<boolean>((resolve) => (settle = resolve));

  const setStatus = (next: ConnectionStatus) => {
    if (!hasData) {
      if (next !== "stale") return; // a stream that opened without data yet: wait for the first payload
      next = "error";
    }
    if (next === "error") settle(false);
    if (next === status) return;
    status = next;
    for (const l of statusListeners) l(next);
  };

  const host: SourceHost = {
    base,
    clientKey: options.clientKey,
    instanceId,
    streaming: options.streaming ?? true,
    pollIntervalMs: options.pollIntervalMs ?? 30_000,
    storage: options.storage === undefined ? defaultStorage() : options.storage,
    maxCacheBytes: options.maxCacheBytes ?? 512 * 1024,
    context: () => context,
    show(next) {
      decisions.replace(next);
      if (!hasData) {
        hasData = true;
        settle(true);
      }
    },
    status: setStatus,
    ack: reporter.ack,
  };
  const source = typeof options.mode === "function" ? options.mode(host) : createLocalSource(host);
  source.boot(options.bootstrap);

  // Network only in a page (not during SSR): paused while hidden, caught up when shown.
  const doc = typeof document === "undefined" ? undefined : document;
  const hidden = () => doc?.visibilityState === "hidden";
  const onVisibility = () => {
    if (hidden()) {
      source.sync.stop();
      reporter.flush();
    } else source.sync.start();
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  if (doc) {
    doc.addEventListener("visibilitychange", onVisibility);
    addEventListener("pagehide", reporter.flush);
    timer = setInterval(reporter.flush, METRICS_INTERVAL_MS);
    if (hidden()) void source.sync.refresh();
    else source.sync.start();
  }

  const detail = <T extends JsonValue>(flagKey: string, fallback: T): FlagDetail<T> => {
    const d = decisions.get(flagKey);
    const fail = (errorCode: FlagDetail["errorCode"], errorMessage?: string): FlagDetail<T> => ({
      flagKey,
      value: fallback,
      reason: "ERROR",
      errorCode,
      errorMessage,
    });
    if (!d) return hasData ? fail("FLAG_NOT_FOUND", `no flag '${flagKey}'`) : fail("PROVIDER_NOT_READY");
    if (d.errorCode) return fail(d.errorCode, d.errorMessage);
    if (!sameType(d.value, fallback))
      return fail("TYPE_MISMATCH", `flag '${flagKey}' is not a ${typeof fallback}`);
    reporter.count(flagKey, d.variant);
    return { flagKey, value: d.value as T, variant: d.variant, reason: d.reason };
  };

  return {
    getDetail: detail,
    getValue: (flagKey, fallback) => detail(flagKey, fallback).value,
    getAll() {
      const all: Record<string, JsonValue> = {};
      for (const [key, d] of decisions.all()) if (!d.errorCode) all[key] = d.value;
      return all;
    },
    peek: decisions.get,
    getContext: () => context,
    setContext(next) {
      context = { ...next };
      return source.contextChanged().catch(() => {});
    },
    subscribe(keyOrListener: string | ((changed: string[]) => void), listener?: () => void) {
      return typeof keyOrListener === "string"
        ? decisions.onFlag(keyOrListener, listener!)
        : decisions.onChange(keyOrListener);
    },
    onStatus: (listener) => listen(statusListeners, listener),
    get status() {
      return status;
    },
    get version() {
      return source.version();
    },
    ready: () => (hasData ? Promise.resolve(true) : readyOnce),
    flush: reporter.flush,
    close() {
      source.sync.stop();
      doc?.removeEventListener("visibilitychange", onVisibility);
      if (doc) removeEventListener("pagehide", reporter.flush);
      clearInterval(timer);
      reporter.flush();
      decisions.clear();
      statusListeners.clear();
    },
  } as BrowserClient;
}
