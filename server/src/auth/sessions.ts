/**
 * @module Browser sessions: a random token in an HttpOnly, SameSite=Lax cookie; only its SHA-256 is stored.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppDeps } from "../deps.js";
import type { Actor } from "./actor.js";

export const SESSION_COOKIE = "sy_session";
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const newToken = () => randomBytes(32).toString("base64url");

export async function createSession(deps: AppDeps, c: Context, userId: number): Promise<void> {
  const token = newToken();
  const now = deps.now();
  const expires = new Date(now.getTime() + SESSION_TTL_MS);
  // Housekeeping: logins are rare, so this keeps the table small without a timer.
  await deps.db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
  await deps.db
    .insertInto("sessions")
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: expires })
    .execute();
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: deps.config.publicUrl.startsWith("https:"),
    path: "/",
    expires,
  });
}

export async function endSession(deps: AppDeps, c: Context): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deps.db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** The user behind the request's session cookie, or null (expired, unknown, disabled). */
export async function actorFromSession(deps: AppDeps, c: Context): Promise<Actor | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const row = await deps.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.role"])
    .where("sessions.token_hash", "=", hashToken(token))
    .where("sessions.expires_at", ">", deps.now())
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  return row ? { type: "user", id: String(row.id), name: row.email, role: row.role } : null;
}
