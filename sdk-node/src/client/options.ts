/**
 * @module `createClient` options: what can be configured, the defaults, and the checks that turn a
 * misconfiguration into a clear error at start-up instead of a silent failure later.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { HEARTBEAT_MS, type Ruleset } from "@switchyard/core";
import type { ShadowRunnerOptions } from "../shadow/shadow.js";
import type { FetchLike } from "../transport/http.js";

/** Anything with these four methods (console, pino, winston…). */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

export interface ClientOptions {
  /** Switchyard server base URL, e.g. `https://flags.example.com`. */
  url: string;
  /** A server-SDK key of one environment. */
  sdkKey: string;
  /** Rules to serve until the server answers: a ruleset object or the path of a JSON file. */
  bootstrap?: Ruleset | string;
  /** File where the last good ruleset is kept, and read at start when the server is down. */
  persistPath?: string;
  /** Stable id of this process in delivery reports. Default: `<hostname>:<pid>:<random>`. */
  instanceId?: string;
  /** No network at all: serve the bootstrap or persisted rules only (tests, local development, benchmarks). */
  offline?: boolean;
  /** Hold the SSE stream for instant updates (default true); false polls only. */
  streaming?: boolean;
  /** Poll interval when not streaming or while the stream is down, ms (default 30,000). */
  pollIntervalMs?: number;
  /** How often evaluation counts and shadow statistics are sent, ms (default 60,000; 0 = only on close). */
  flushIntervalMs?: number;
  /** Count evaluations and send them (default true). Shadow statistics are sent either way. */
  sendMetrics?: boolean;
  /** Most (flag, variant) counters held between flushes (default 10,000); more are dropped and counted. */
  maxMetricsKeys?: number;
  /** Batching delay for delivery acks, ms (default 25). */
  ackDelayMs?: number;
  /** First reconnection delay, ms (default 1,000); doubles up to `reconnectMaxMs` (default 30,000), jittered. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Silence after which the stream is considered dead, ms (default three heartbeats: 45,000). */
  streamIdleTimeoutMs?: number;
  /** Timeout of each HTTP request, ms (default 10,000). */
  requestTimeoutMs?: number;
  /** Largest stream message accepted, bytes (default 64 MiB). */
  maxMessageBytes?: number;
  /** Defaults to warnings and errors on the console. */
  logger?: Logger;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
  /** Shadow traffic: concurrent shadow runs per flag, mismatch redaction (see `client.shadow`). */
  shadow?: ShadowRunnerOptions;
}

export interface ResolvedOptions {
  baseUrl: string;
  sdkKey: string;
  bootstrap: Ruleset | string | undefined;
  persistPath: string | undefined;
  instanceId: string;
  offline: boolean;
  streaming: boolean;
  pollIntervalMs: number;
  flushIntervalMs: number;
  sendMetrics: boolean;
  maxMetricsKeys: number;
  ackDelayMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  streamIdleTimeoutMs: number;
  requestTimeoutMs: number;
  maxMessageBytes: number;
  logger: Logger;
  fetch: FetchLike;
  shadow: ShadowRunnerOptions | undefined;
}

const noop = () => {};
export const consoleLogger: Logger = {
  debug: noop,
  info: noop,
  warn: (message, ...rest) => console.warn(`[switchyard] ${message}`, ...rest),
  error: (message, ...rest) => console.error(`[switchyard] ${message}`, ...rest),
};

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null)
    throw new TypeError("createClient: options are required");
  const baseUrl = checkUrl(options.url);
  if (typeof options.sdkKey !== "string" || options.sdkKey.trim() === "") {
    throw new TypeError("createClient: `sdkKey` is required (a server-SDK key of one environment)");
  }
  const bootstrap = options.bootstrap;
  if (
    bootstrap !== undefined &&
    typeof bootstrap !== "string" &&
    (typeof bootstrap !== "object" || bootstrap === null)
  ) {
    throw new TypeError("createClient: `bootstrap` must be a ruleset object or a file path");
  }
  if (
    options.persistPath !== undefined &&
    (typeof options.persistPath !== "string" || options.persistPath === "")
  ) {
    throw new TypeError("createClient: `persistPath` must be a file path");
  }
  const reconnectMinMs = positive("reconnectMinMs", options.reconnectMinMs, 1_000);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") throw new TypeError("createClient: no `fetch` available; pass one");
  return {
    baseUrl,
    sdkKey: options.sdkKey,
    bootstrap,
    persistPath: options.persistPath,
    instanceId: options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    offline: options.offline ?? false,
    streaming: options.streaming ?? true,
    pollIntervalMs: positive("pollIntervalMs", options.pollIntervalMs, 30_000),
    flushIntervalMs: nonNegative("flushIntervalMs", options.flushIntervalMs, 60_000),
    sendMetrics: options.sendMetrics ?? true,
    maxMetricsKeys: nonNegative("maxMetricsKeys", options.maxMetricsKeys, 10_000),
    ackDelayMs: nonNegative("ackDelayMs", options.ackDelayMs, 25),
    reconnectMinMs,
    reconnectMaxMs: Math.max(reconnectMinMs, positive("reconnectMaxMs", options.reconnectMaxMs, 30_000)),
    streamIdleTimeoutMs: positive("streamIdleTimeoutMs", options.streamIdleTimeoutMs, 3 * HEARTBEAT_MS),
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs, 10_000),
    maxMessageBytes: positive("maxMessageBytes", options.maxMessageBytes, 64 * 1024 * 1024),
    logger: options.logger ?? consoleLogger,
    fetch: fetchImpl,
    shadow: options.shadow,
  };
}

function checkUrl(url: unknown): string {
  if (typeof url !== "string" || url === "") throw new TypeError("createClient: `url` is required");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`createClient: \`url\` is not a valid URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`createClient: \`url\` must be http(s), got ${parsed.protocol}`);
  }
  return url.replace(/\/+$/, "");
}

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `createClient: \`${name}\` must be a positive number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}

function nonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`createClient: \`${name}\` must be a number ≥ 0, got ${String(value)}`);
  }
  return value;
}
