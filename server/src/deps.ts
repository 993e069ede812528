/**
 * @module What the Hono app is built from. `main.ts` wires the real ones (Postgres or PGlite, the
 * LISTEN/NOTIFY bus); tests wire the same ones over an in-memory PGlite. No module reaches for globals.
 */
import type { CompiledRuleset, Ruleset, RulesetDelta } from "@switchyard/core";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database } from "./db/schema.js";

/** Published after a transaction commits. NOTIFY payloads are small: receivers read the rest from the database. */
export type ChangeEvent =
  /** An environment's ruleset moved to `version` (flags/segments name what changed). */
  | { type: "ruleset"; environment: string; version: number; flags: string[]; segments: string[] }
  /** API keys were revoked or changed: drop cached key lookups. */
  | { type: "keys" }
  /** Environments were created, renamed or deleted, or their settings (CORS…) changed. */
  | { type: "environments" };

/**
 * Carries change events between server instances: Postgres LISTEN/NOTIFY when running on Postgres, an
 * in-process emitter on PGlite. An instance also receives its own events (one code path for both).
 */
export interface ChangeBus {
  publish(event: ChangeEvent): Promise<void>;
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /** Called after the bus reconnects (events may have been missed): reload state from the database. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/** A compiled, serialised environment ruleset, ready to serve. Built once per version. */
export interface PublishedRuleset {
  environment: string;
  version: number;
  ruleset: Ruleset;
  /** Strong ETag for this version (and audience). */
  etag: string;
  /** `JSON.stringify(ruleset)`, its UTF-8 bytes and their gzip, built once per version. */
  json: string;
  bytes: Uint8Array;
  gzip: Uint8Array;
  /** The ruleset compiled for server-side evaluation (client evaluate, OFREP), built on first use. */
  compiled: CompiledRuleset;
}

/**
 * In-memory cache of every environment's ruleset, kept current from the bus. The source of truth is
 * Postgres: on start and on bus reconnect it reloads.
 */
export interface RulesetStore {
  /** Full ruleset for server SDKs; undefined if the environment does not exist. */
  server(environment: string): PublishedRuleset | undefined;
  /** Browser-safe ruleset for client keys: client-visible flags only, pilot-user keys hashed. */
  client(environment: string): PublishedRuleset | undefined;
  /** Deltas from `fromVersion` to the current version, or undefined if they cannot be built. */
  deltaSince(
    environment: string,
    fromVersion: number,
    audience: "server" | "client",
  ): RulesetDelta | undefined;
  /** Listen for new versions of one environment. Returns an unsubscribe function. */
  subscribe(
    environment: string,
    listener: (update: {
      server: PublishedRuleset;
      client: PublishedRuleset;
      serverDelta?: RulesetDelta;
      clientDelta?: RulesetDelta;
    }) => void,
  ): () => void;
  /** Resolves once the change event for `version` of `environment` has been applied locally. */
  waitForVersion(environment: string, version: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface AppDeps {
  db: Kysely<Database>;
  bus: ChangeBus;
  rulesets: RulesetStore;
  logger: Logger;
  /** Injectable clock (schedules, sessions, metrics windows); defaults to `() => new Date()`. */
  now: () => Date;
  config: {
    /** Public base URL, for links printed and sent (setup link, OFREP event streams). */
    publicUrl: string;
    /** Directory of the built admin UI to serve at `/`, if any. */
    adminUiDir?: string;
    /** Take the client address from X-Forwarded-For (only behind a proxy that sets it; else spoofable). */
    trustProxy?: boolean;
  };
}
