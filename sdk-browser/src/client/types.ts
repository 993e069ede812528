/**
 * @module The browser client's public shapes: options, flag details, connection status.
 */

import type { ErrorCode, EvaluationContext, JsonValue, Reason, Ruleset } from "@switchyard/core";
import type { SourceFactory } from "./source.js";

/** Values the server already evaluated for one context (server-rendered bootstrap, OFREP bulk, cache). */
export interface EvaluatedFlags {
  flags: Record<string, { value: JsonValue; variant?: string; reason: string; errorCode?: ErrorCode }>;
}

export interface BrowserClientOptions {
  /** Switchyard server base URL, e.g. `https://flags.example.com`. */
  url: string;
  /** A client key (`kind: "client"`); it is public by design, it only reads client-visible flags. */
  clientKey: string;
  context?: EvaluationContext;
  /** Server-rendered data for the first paint: a browser-safe ruleset or server-evaluated values. */
  bootstrap?: Ruleset | EvaluatedFlags;
  /** Where the last good ruleset/values persist between page loads; `null` disables. Default `localStorage`. */
  storage?: Storage | null;
  /**
   * `"local"` (default): rules in the page, evaluated synchronously. For values evaluated by the server (via
   * OFREP bulk, no rules in the page) pass `serverEvaluation` from `@switchyard/sdk-browser/server`; it is a
   * separate entry so pages that evaluate locally do not ship it.
   */
  mode?: "local" | SourceFactory;
  /**
   * Live updates over `EventSource`: the rules stream (local mode), or the OFREP change stream the server
   * offers (server mode). Default true where `EventSource` exists.
   */
  streaming?: boolean;
  /** Polling interval when not streaming (or when the server offers no stream). Default 30 s. */
  pollIntervalMs?: number;
  /** Stable id of this SDK instance in reports; random by default. */
  instanceId?: string;
  /** Largest cached payload kept in storage, in characters. Default 512 KiB. */
  maxCacheBytes?: number;
}

/** What a read returns: the value and why. Never thrown; on error `value` is the caller's default. */
export interface FlagDetail<T = JsonValue> {
  flagKey: string;
  value: T;
  variant?: string;
  reason: Reason | string;
  errorCode?: ErrorCode;
  errorMessage?: string;
}

/** The decision held for one flag (value as served, before the caller's default/type check). */
export interface StoredDecision {
  value: JsonValue;
  variant?: string;
  reason: string;
  errorCode?: ErrorCode;
  errorMessage?: string;
}

/** `ready`: data is current. `stale`: serving the last good data, connection lost. `error`: no data. */
export type ConnectionStatus = "ready" | "stale" | "error";

export interface BrowserClient {
  /** The flag's value for the current context, or `defaultValue` (unknown flag, type mismatch, not loaded). */
  getValue<T extends JsonValue>(flagKey: string, defaultValue: T): T;
  getDetail<T extends JsonValue>(flagKey: string, defaultValue: T): FlagDetail<T>;
  /** Every flag's value for the current context. */
  getAll(): Record<string, JsonValue>;
  /** The stored decision, without counting an evaluation (stable identity until the flag changes). */
  peek(flagKey: string): StoredDecision | undefined;
  getContext(): EvaluationContext;
  /** Re-evaluates at once (local mode) and notifies listeners of flags whose values changed. */
  setContext(context: EvaluationContext): Promise<void>;
  /** Listen to one flag (`listener()` when its decision changes) or to all (`listener(changedKeys)`). */
  subscribe(flagKey: string, listener: () => void): () => void;
  subscribe(listener: (changedKeys: string[]) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus | "loading";
  /** Ruleset version held (local mode), or -1. */
  readonly version: number;
  /** Resolves true once data is available (bootstrap, cache or network), false if the first load failed. */
  ready(): Promise<boolean>;
  /** Sends pending metrics (beacon) now. */
  flush(): void;
  /** Stops streams, timers and listeners and sends pending metrics. */
  close(): void;
}
