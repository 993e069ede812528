/**
 * @module Authentication and roles for the admin API. A request carries either an admin API key
 * (`Authorization: Bearer sy_admin_…`) or a session cookie. SDK keys are refused (403): they only read
 * `/sdk/*` and OFREP. Bad or revoked keys get 401.
 */
import type { MiddlewareHandler } from "hono";
import type { Role } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { keyResolverFor, secretFromHeaders } from "../keys/resolve.js";
import { ForbiddenError, UnauthorizedError } from "../problem/errors.js";
import { type Actor, roleAtLeast } from "./actor.js";
import type { AppEnv } from "./context.js";
import { actorFromSession } from "./sessions.js";

export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const keys = keyResolverFor(deps);
  return async (c, next) => {
    const secret = secretFromHeaders(c.req.raw.headers);
    if (secret) {
      const key = await keys.resolve(secret);
      if (!key) throw new UnauthorizedError("Unknown or revoked API key.");
      if (key.kind !== "admin") {
        throw new ForbiddenError(
          `A ${key.kind} SDK key cannot use the admin API; use an admin token or log in.`,
        );
      }
      c.set(
        "actor",
        withOverride(c.req.header(FREEZE_OVERRIDE_HEADER), {
          type: "api_key",
          id: String(key.id),
          name: key.name,
          role: key.role ?? "viewer",
        }),
      );
      return next();
    }
    const actor = await actorFromSession(deps, c);
    if (!actor)
      throw new UnauthorizedError("Log in or send an admin API key (Authorization: Bearer sy_admin_…).");
    c.set("actor", withOverride(c.req.header(FREEZE_OVERRIDE_HEADER), actor));
    return next();
  };
}

export const FREEZE_OVERRIDE_HEADER = "x-switchyard-freeze-override";

/** Carries the freeze-override reason with the actor; commitChange decides whether it counts (admins only). */
function withOverride(reason: string | undefined, actor: Actor): Actor {
  const trimmed = reason?.trim().slice(0, 500);
  return trimmed ? { ...actor, freezeOverride: trimmed } : actor;
}

/** Refuses the request unless the actor's role is at least `role`. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get("actor");
    if (!roleAtLeast(actor.role, role)) {
      throw new ForbiddenError(`This needs the ${role} role; you are ${actor.role}.`);
    }
    return next();
  };
}

/** viewer for reads, editor for writes: the default for flags, segments and states. */
export function editorForWrites(): MiddlewareHandler<AppEnv> {
  const editor = requireRole("editor");
  return async (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : editor(c, next));
}
