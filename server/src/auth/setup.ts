/**
 * @module First run: with no users, an admin account is created without a password and a one-time setup
 * link is printed. Whoever opens it chooses the password (no default password exists anywhere).
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { hashToken, newToken } from "./sessions.js";

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Creates a one-time link for `userId` to set a password; returns the URL. */
export async function createSetupLink(
  deps: Pick<AppDeps, "db" | "now" | "config">,
  userId: number,
  db: Kysely<Database> = deps.db,
): Promise<string> {
  const token = newToken();
  await db
    .insertInto("setup_tokens")
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      expires_at: new Date(deps.now().getTime() + SETUP_TOKEN_TTL_MS),
    })
    .execute();
  return `${deps.config.publicUrl.replace(/\/$/, "")}/setup?token=${token}`;
}

/**
 * If the users table is empty, creates the first admin and returns its setup link; otherwise null.
 * If the first admin never finished setup, a fresh link is issued on every start.
 */
export async function ensureFirstAdmin(deps: AppDeps): Promise<string | null> {
  const users = await deps.db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .orderBy("id")
    .limit(2)
    .execute();
  if (users.length === 0) {
    const user = await deps.db
      .insertInto("users")
      .values({ email: "admin@localhost", name: "Administrator", role: "admin", password_hash: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    return createSetupLink(deps, user.id);
  }
  const only = users[0];
  if (users.length === 1 && only && only.password_hash === null) return createSetupLink(deps, only.id);
  return null;
}

/** The live user a setup token belongs to (unused, unexpired), or null. */
export async function userForSetupToken(deps: AppDeps, token: string) {
  return deps.db
    .selectFrom("setup_tokens")
    .innerJoin("users", "users.id", "setup_tokens.user_id")
    .select(["users.id", "users.email", "users.name", "users.role", "setup_tokens.token_hash"])
    .where("setup_tokens.token_hash", "=", hashToken(token))
    .where("setup_tokens.used_at", "is", null)
    .where("setup_tokens.expires_at", ">", deps.now())
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
}
