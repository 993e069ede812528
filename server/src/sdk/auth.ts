/**
 * @module SDK key authentication: `Authorization: [Bearer ]<key>` or `X-API-Key`, and for client keys
 * also `?key=` (browsers cannot set headers on EventSource or sendBeacon; client keys are public anyway).
 * A server or client key reads exactly one environment.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { ApiKeyKind } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { keyResolverFor, type ResolvedKey, secretFromHeaders } from "../keys/resolve.js";
import { ForbiddenError, UnauthorizedError } from "../problem/errors.js";

export type SdkKey = ResolvedKey & { environment: string };
export type SdkEnv = { Variables: { sdkKey: SdkKey } };

export function sdkKey(deps: AppDeps, allowed: ApiKeyKind[]): MiddlewareHandler<SdkEnv> {
  const resolver = keyResolverFor(deps);
  return async (c, next) => {
    const fromHeader = secretFromHeaders(c.req.raw.headers);
    const fromQuery = fromHeader === undefined ? c.req.query("key") : undefined;
    const secret = fromHeader ?? fromQuery;
    if (!secret) throw new UnauthorizedError("An SDK key is required (Authorization or X-API-Key header).");
    // A cached key is used without awaiting: one promise turn less on every SDK request.
    const hit = resolver.cached(secret);
    const key = hit !== undefined ? hit : await resolver.resolve(secret);
    if (!key) throw new UnauthorizedError();
    if (key.kind === "admin" || !key.environment) {
      throw new ForbiddenError("Admin tokens cannot use SDK endpoints; use a server or client key.");
    }
    if (!allowed.includes(key.kind)) {
      throw new ForbiddenError(
        `A ${key.kind} key cannot use this endpoint; it needs a ${allowed.join(" or ")} key.`,
      );
    }
    if (fromQuery && key.kind !== "client") {
      throw new ForbiddenError("Only client keys may be sent in the query string.");
    }
    c.set("sdkKey", key as SdkKey);
    await next();
  };
}

/**
 * The address of the caller, for per-client rate limits. X-Forwarded-For is anyone's to set, so it is
 * read only when the operator says a proxy in front sets it (`TRUST_PROXY`); else the socket's address.
 */
export function callerAddress(c: Context, trustProxy = false): string {
  const forwarded = trustProxy ? c.req.header("x-forwarded-for") : undefined;
  if (forwarded) return forwarded.split(",")[0]?.trim() ?? "";
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}
