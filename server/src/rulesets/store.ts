/**
 * @module The in-memory cache of every environment's ruleset — a cache of Postgres, kept current from the
 * change bus. Each committed version is applied as a delta (only the changed flags and segments are read
 * back); anything unexpected — a skipped version, a reconnect, an environment created — reloads from the
 * database rather than guess, so an instance never serves stale rules forever.
 */
import type { Flag, Ruleset, RulesetDelta, Segment } from "@switchyard/core";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../db/schema.js";
import type { ChangeBus, ChangeEvent, PublishedRuleset, RulesetStore } from "../deps.js";
import { createBrowserRulesets } from "./browser.js";
import { type ChangedParts, loadChanged, loadEnvironments, loadRuleset } from "./load.js";
import { publish } from "./publish.js";

/** Deltas kept per environment for `Last-Event-ID` resumption. */
const HISTORY = 64;

interface Update {
  server: PublishedRuleset;
  client: PublishedRuleset;
  serverDelta?: RulesetDelta;
  clientDelta?: RulesetDelta;
}

interface EnvState {
  salt: string;
  server: PublishedRuleset;
  client: PublishedRuleset;
  history: { version: number; server: RulesetDelta; client: RulesetDelta }[];
}

export interface RulesetStoreOptions {
  db: Kysely<Database>;
  bus: ChangeBus;
  logger: Logger;
  /**
   * How often to compare the versions held with the database's (one small SELECT), catching a NOTIFY
   * that never arrived without waiting for a reconnect. Default 30 s; 0 turns it off.
   */
  versionCheckMs?: number;
  /** Runs `check` every `ms` and returns a stop function; injectable so tests tick by hand. */
  every?: (ms: number, check: () => void) => () => void;
}

export const VERSION_CHECK_MS = 30_000;

const realEvery = (ms: number, check: () => void) => {
  const timer = setInterval(check, ms);
  timer.unref?.();
  return () => clearInterval(timer);
};

function merge<T extends { key: string }>(items: T[], changed: string[], fresh: T[]) {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const freshKeys = new Set(fresh.map((f) => f.key));
  const removed = changed.filter((k) => !freshKeys.has(k) && byKey.has(k));
  for (const k of removed) byKey.delete(k);
  for (const f of fresh) byKey.set(f.key, f);
  return { items: [...byKey.values()], removed };
}

/** Delta between two rulesets of one audience, looking only at the keys that may have changed. */
function diff(before: Ruleset, after: Ruleset, flags: string[], segments: string[]): RulesetDelta {
  const pick = <T extends { key: string }>(from: T[], keys: Set<string>) =>
    from.filter((i) => keys.has(i.key));
  const beforeSegments = new Set(before.segments.map((s) => s.key));
  const afterFlags = new Set(after.flags.map((f) => f.key));
  const afterSegments = new Set(after.segments.map((s) => s.key));
  const changedSegments = new Set(segments);
  return {
    formatVersion: after.formatVersion,
    environment: after.environment,
    fromVersion: before.version,
    version: after.version,
    flags: {
      upsert: pick(after.flags, new Set(flags)),
      remove: before.flags.filter((f) => !afterFlags.has(f.key)).map((f) => f.key),
    },
    segments: {
      upsert: after.segments.filter((s) => changedSegments.has(s.key) || !beforeSegments.has(s.key)),
      remove: before.segments.filter((s) => !afterSegments.has(s.key)).map((s) => s.key),
    },
  };
}

export async function createRulesetStore(
  options: RulesetStoreOptions,
): Promise<RulesetStore & { reloadAll(): Promise<void> }> {
  const { db, bus, logger, versionCheckMs = VERSION_CHECK_MS, every = realEvery } = options;
  const states = new Map<string, EnvState>();
  const listeners = new Map<string, Set<(update: Update) => void>>();
  const waiters = new Set<{ environment: string; version: number; done: () => void }>();
  const browser = createBrowserRulesets();
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  const emit = (environment: string, update: Update) => {
    for (const listener of listeners.get(environment) ?? []) {
      try {
        listener(update);
      } catch (error) {
        logger.warn({ err: error, environment }, "ruleset listener failed");
      }
    }
    for (const w of waiters) {
      if (w.environment === environment && update.server.version >= w.version) w.done();
    }
  };

  const install = (ruleset: Ruleset, salt: string, delta?: { flags: string[]; segments: string[] }) => {
    const previous = states.get(ruleset.environment);
    // A reload that finds what we hold (e.g. after an environment's CORS settings changed) is not news.
    if (!delta && previous && previous.server.version === ruleset.version && previous.salt === salt) return;
    const server = publish(ruleset, "server");
    const client = publish(browser(ruleset, salt), "client");
    const state: EnvState = { salt, server, client, history: previous?.history ?? [] };
    const update: Update = { server, client };
    if (previous && delta) {
      update.serverDelta = diff(previous.server.ruleset, ruleset, delta.flags, delta.segments);
      update.clientDelta = diff(previous.client.ruleset, client.ruleset, delta.flags, delta.segments);
      state.history = [
        ...state.history,
        { version: ruleset.version, server: update.serverDelta, client: update.clientDelta },
      ].slice(-HISTORY);
    } else {
      state.history = [];
    }
    states.set(ruleset.environment, state);
    emit(ruleset.environment, update);
  };

  const reloadEnvironment = async (environment: string, salt: string) => {
    const ruleset = await loadRuleset(db, environment);
    if (ruleset) install(ruleset, salt);
  };

  const reloadAll = async () => {
    const environments = await loadEnvironments(db);
    const present = new Set(environments.map((e) => e.key));
    for (const key of states.keys()) if (!present.has(key)) states.delete(key);
    for (const env of environments) await reloadEnvironment(env.key, env.key_hash_salt);
  };

  const applyParts = (
    state: EnvState,
    event: Extract<ChangeEvent, { type: "ruleset" }>,
    parts: ChangedParts,
  ) => {
    const current = state.server.ruleset;
    const flags = merge<Flag>(current.flags, event.flags, parts.flags);
    const segments = merge<Segment>(current.segments, event.segments, parts.segments);
    const next: Ruleset = {
      ...current,
      version: parts.version,
      flags: flags.items,
      segments: segments.items,
    };
    install(next, state.salt, { flags: event.flags, segments: event.segments });
  };

  const applyChange = async (event: Extract<ChangeEvent, { type: "ruleset" }>) => {
    const state = states.get(event.environment);
    if (!state) return reloadAll();
    const held = state.server.version;
    if (event.version <= held) return;
    if (event.version !== held + 1) return reloadEnvironment(event.environment, state.salt);
    const parts = await loadChanged(db, event.environment, event.flags, event.segments);
    if (!parts) return reloadAll();
    // Another commit landed between the event and our read: the parts mix versions, so read it all.
    if (parts.version !== event.version) return reloadEnvironment(event.environment, state.salt);
    applyParts(state, event, parts);
  };

  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error) => logger.error({ err: error }, "ruleset refresh failed"));
    return queue;
  };

  /** Reloads the environments whose version in the database is not the one held (or that came or went). */
  const checkVersions = async () => {
    const rows = await db
      .selectFrom("environments")
      .select(["key", "ruleset_version", "key_hash_salt"])
      .execute();
    if (rows.length !== states.size || rows.some((r) => !states.has(r.key))) return reloadAll();
    for (const row of rows) {
      const state = states.get(row.key);
      if (state && Number(row.ruleset_version) !== state.server.version) {
        logger.warn(
          { environment: row.key, held: state.server.version },
          "missed a ruleset change; reloading",
        );
        await reloadEnvironment(row.key, row.key_hash_salt);
      }
    }
  };
  const stopChecks = versionCheckMs > 0 ? every(versionCheckMs, () => void enqueue(checkVersions)) : () => {};

  const unsubscribe = bus.subscribe((event) => {
    if (closed) return;
    if (event.type === "ruleset") enqueue(() => applyChange(event));
    else if (event.type === "environments") enqueue(reloadAll);
  });
  const unsubscribeReconnect = bus.onReconnect(() => {
    if (!closed) enqueue(reloadAll);
  });

  await enqueue(reloadAll);

  return {
    server: (environment) => states.get(environment)?.server,
    client: (environment) => states.get(environment)?.client,
    deltaSince(environment, fromVersion, audience) {
      const state = states.get(environment);
      if (!state) return undefined;
      const steps = state.history.filter((h) => h.version > fromVersion);
      const first = steps[0]?.[audience];
      if (!first || first.fromVersion !== fromVersion) return undefined;
      return combine(steps.map((s) => s[audience]));
    },
    subscribe(environment, listener) {
      const set = listeners.get(environment) ?? new Set();
      listeners.set(environment, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    waitForVersion(environment, version, timeoutMs = 5000) {
      if ((states.get(environment)?.server.version ?? -1) >= version) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = {
          environment,
          version,
          done: () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`ruleset ${environment}@${version} not applied within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    reloadAll: () => enqueue(reloadAll),
    async close() {
      closed = true;
      stopChecks();
      unsubscribe();
      unsubscribeReconnect();
      listeners.clear();
      await queue;
    },
  };
}

/** Folds consecutive deltas into one, from the first's base to the last's version. */
function combine(deltas: RulesetDelta[]): RulesetDelta {
  const first = deltas[0] as RulesetDelta;
  const last = deltas[deltas.length - 1] as RulesetDelta;
  const flags = new Map<string, Flag | null>();
  const segments = new Map<string, Segment | null>();
  for (const d of deltas) {
    for (const k of d.flags?.remove ?? []) flags.set(k, null);
    for (const f of d.flags?.upsert ?? []) flags.set(f.key, f);
    for (const k of d.segments?.remove ?? []) segments.set(k, null);
    for (const s of d.segments?.upsert ?? []) segments.set(s.key, s);
  }
  const split = <T>(m: Map<string, T | null>) => ({
    upsert: [...m.values()].filter((v): v is T => v !== null),
    remove: [...m.entries()].filter(([, v]) => v === null).map(([k]) => k),
  });
  return { ...last, fromVersion: first.fromVersion, flags: split(flags), segments: split(segments) };
}
