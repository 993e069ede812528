/**
 * @module Per-key rate limits: a token bucket per server key, and per client key and caller address
 * (one public client key is shared by every browser of an app). Over the limit: 429 with `Retry-After`.
 */
import type { MiddlewareHandler } from "hono";
import { LRUCache } from "lru-cache";
import { ProblemError } from "../problem/errors.js";
import { callerAddress, type SdkEnv } from "./auth.js";

export class TooManyRequestsError extends ProblemError {
  readonly status = 429;
  readonly title = "Too many requests";
  readonly slug = "rate-limited";
  constructor(retryAfterSeconds: number) {
    super(`Rate limit exceeded; retry in ${retryAfterSeconds} s.`, {
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
  }
}

export interface RateLimits {
  /** Sustained requests per second per server key (burst: twice that). */
  serverPerSecond: number;
  /** Sustained requests per second per client key and caller address. */
  clientPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  serverPerSecond: Number(process.env.SWITCHYARD_SERVER_KEY_RPS ?? 100_000),
  clientPerSecond: Number(process.env.SWITCHYARD_CLIENT_KEY_RPS ?? 50),
};

export interface RateLimitOptions {
  limits?: RateLimits;
  now?: () => number;
  /** See {@link callerAddress}. */
  trustProxy?: boolean;
  /** Buckets kept; the least recently used is forgotten first (it is full again by then, mostly). */
  maxBuckets?: number;
}

export const MAX_BUCKETS = 100_000;

export function rateLimit({
  limits = DEFAULT_RATE_LIMITS,
  now = () => Date.now(),
  trustProxy = false,
  maxBuckets = MAX_BUCKETS,
}: RateLimitOptions = {}): MiddlewareHandler<SdkEnv> {
  // An LRU, not a Map cleared when full: clearing hands every caller a fresh burst at once.
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: maxBuckets });
  return async (c, next) => {
    const key = c.get("sdkKey");
    const rate = key.kind === "client" ? limits.clientPerSecond : limits.serverPerSecond;
    const id = key.kind === "client" ? `${key.id}|${callerAddress(c, trustProxy)}` : String(key.id);
    const t = now();
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = { tokens: rate * 2, at: t };
      buckets.set(id, bucket);
    }
    bucket.tokens = Math.min(rate * 2, bucket.tokens + ((t - bucket.at) / 1000) * rate);
    bucket.at = t;
    if (bucket.tokens < 1) throw new TooManyRequestsError(Math.max(1, Math.ceil((1 - bucket.tokens) / rate)));
    bucket.tokens -= 1;
    await next();
  };
}
