/**
 * @module Secret → key lookup for every authenticated request. LRU-cached for a short time so SDK
 * endpoints serve tens of thousands of requests a second without a database hit each; the cache is
 * dropped whenever the bus says keys changed (revocations reach every instance at once).
 */
import { LRUCache } from "lru-cache";
import type { ApiKeyKind, Role } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { hashSecret, kindOf } from "./secret.js";

export interface ResolvedKey {
  id: number;
  name: string;
  kind: ApiKeyKind;
  role: Role | null;
  environment: string | null;
}

export interface KeyResolver {
  /** The live (not revoked) key with this secret, or null. Never throws on a malformed secret. */
  resolve(secret: string): Promise<ResolvedKey | null>;
  /** The cached answer for this secret (null: known not to be a live key), or undefined if not cached. */
  cached(secret: string): ResolvedKey | null | undefined;
  /** Forget every cached lookup. */
  invalidate(): void;
}

export interface KeyResolverOptions {
  /** How long a lookup (found or not) is trusted without a bus event; default 30 s. */
  ttlMs?: number;
  max?: number;
}

const MISSING = Symbol("missing");

export function createKeyResolver(
  deps: Pick<AppDeps, "db" | "bus" | "logger" | "now">,
  options: KeyResolverOptions = {},
): KeyResolver & { close(): void } {
  // Keyed by the raw secret, so a cached request pays neither the format check nor SHA-256.
  const cache = new LRUCache<string, ResolvedKey | typeof MISSING>({
    max: options.max ?? 10_000,
    ttl: options.ttlMs ?? 30_000,
  });
  const inflight = new Map<string, Promise<ResolvedKey | null>>();
  let generation = 0;

  const invalidate = () => {
    generation++;
    cache.clear();
    inflight.clear();
  };
  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type === "keys" || event.type === "environments") invalidate();
  });

  async function lookup(hash: string): Promise<ResolvedKey | null> {
    const row = await deps.db
      .selectFrom("api_keys")
      .select(["id", "name", "kind", "role", "environment_key"])
      .where("key_hash", "=", hash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (!row) return null;
    deps.db
      .updateTable("api_keys")
      .set({ last_used_at: deps.now() })
      .where("id", "=", row.id)
      .execute()
      .catch((error) => deps.logger.debug({ err: error }, "could not record key use"));
    return { id: row.id, name: row.name, kind: row.kind, role: row.role, environment: row.environment_key };
  }

  const cached = (secret: string) => {
    const hit = cache.get(secret);
    return hit === MISSING ? null : hit;
  };

  return {
    cached,
    async resolve(secret) {
      if (typeof secret !== "string") return null;
      const hit = cached(secret);
      if (hit !== undefined) return hit;
      if (kindOf(secret) === null) return null;
      let pending = inflight.get(secret);
      if (!pending) {
        const started = generation;
        pending = lookup(hashSecret(secret)).finally(() => inflight.delete(secret));
        pending.then(
          (key) => {
            if (generation === started) cache.set(secret, key ?? MISSING);
          },
          () => {},
        );
        inflight.set(secret, pending);
      }
      return pending;
    },
    invalidate,
    close: unsubscribe,
  };
}

const resolvers = new WeakMap<AppDeps, KeyResolver & { close(): void }>();

/** The one resolver of an app (created on first use): SDK routes and admin auth share its cache. */
export function keyResolverFor(deps: AppDeps): KeyResolver {
  let resolver = resolvers.get(deps);
  if (!resolver) {
    resolver = createKeyResolver(deps);
    resolvers.set(deps, resolver);
  }
  return resolver;
}

/** Reads an SDK or admin key from `Authorization: [Bearer ]<key>` or `X-API-Key`. */
export function secretFromHeaders(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (auth) return auth.replace(/^Bearer\s+/i, "").trim();
  return headers.get("x-api-key")?.trim() || undefined;
}
