/**
 * @module API key records: create (the secret is returned once and never stored), list, revoke.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { ApiKeyKind, ApiKeyRow, Role } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { NotFoundError, ValidationError } from "../problem/errors.js";
import { generateSecret, hashSecret, kindOf, prefixOf } from "./secret.js";

export interface ApiKeyView {
  id: number;
  name: string;
  kind: ApiKeyKind;
  role: Role | null;
  environment: string | null;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function keyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    role: row.role,
    environment: row.environment_key,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}

export interface NewKey {
  name: string;
  kind: ApiKeyKind;
  role?: Role | null;
  environment?: string | null;
  /** Use this secret instead of a random one (only `ensureAdminKey`, for automation). */
  secret?: string;
}

export async function createKey(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  input: NewKey,
): Promise<ApiKeyView & { secret: string }> {
  const isAdmin = input.kind === "admin";
  if (isAdmin && input.environment)
    throw ValidationError.field("environment", "admin tokens are not scoped to an environment");
  if (!isAdmin && !input.environment)
    throw ValidationError.field("environment", `a ${input.kind} key needs an environment`);
  if (!isAdmin && input.role) throw ValidationError.field("role", "only admin tokens carry a role");
  const secret = input.secret ?? generateSecret(input.kind);
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "key.create",
      targetType: "api_key",
      targetKey: input.name,
      environment: input.environment ?? null,
      before: null,
      after: (row: ApiKeyRow) => keyView(row),
      affects: [],
    },
    async (trx) => {
      if (input.environment) {
        const env = await trx
          .selectFrom("environments")
          .select("key")
          .where("key", "=", input.environment)
          .executeTakeFirst();
        if (!env) throw ValidationError.field("environment", `no environment "${input.environment}"`);
      }
      return trx
        .insertInto("api_keys")
        .values({
          name: input.name,
          kind: input.kind,
          role: isAdmin ? (input.role ?? "viewer") : null,
          environment_key: isAdmin ? null : (input.environment ?? null),
          key_hash: hashSecret(secret),
          prefix: prefixOf(secret),
          created_by: actor.name,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  );
  return { ...keyView(result), secret };
}

export async function listKeys(
  deps: AppDeps,
  filter: { includeRevoked?: boolean } = {},
): Promise<ApiKeyView[]> {
  let query = deps.db.selectFrom("api_keys").selectAll().orderBy("id");
  if (!filter.includeRevoked) query = query.where("revoked_at", "is", null);
  return (await query.execute()).map(keyView);
}

export async function revokeKey(
  deps: Omit<AppDeps, "rulesets">,
  actor: Actor,
  id: number,
): Promise<ApiKeyView> {
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "key.revoke",
      targetType: "api_key",
      targetKey: String(id),
      before: (r: { before: ApiKeyRow }) => keyView(r.before),
      after: (r: { after: ApiKeyRow }) => keyView(r.after),
      affects: [],
    },
    async (trx) => {
      const before = await trx
        .selectFrom("api_keys")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new NotFoundError(`No API key with id ${id}.`);
      const after = await trx
        .updateTable("api_keys")
        .set({ revoked_at: before.revoked_at ?? deps.now() })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before, after };
    },
  );
  await deps.bus.publish({ type: "keys" });
  return keyView(result.after);
}

/** Makes sure an admin key with exactly this secret exists and is live (for `adminToken` / CI). */
export async function ensureAdminKey(
  deps: Omit<AppDeps, "rulesets">,
  secret: string,
  actor: Actor,
  role: Role = "admin",
): Promise<void> {
  if (kindOf(secret) !== "admin")
    throw new Error("adminToken must look like sy_admin_<32 to 128 characters of A-Z a-z 0-9 _ ->");
  const existing = await deps.db
    .selectFrom("api_keys")
    .select(["id", "revoked_at"])
    .where("key_hash", "=", hashSecret(secret))
    .executeTakeFirst();
  if (existing && !existing.revoked_at) return;
  if (existing) {
    await deps.db.updateTable("api_keys").set({ revoked_at: null }).where("id", "=", existing.id).execute();
    await deps.bus.publish({ type: "keys" });
    return;
  }
  await createKey(deps, actor, { name: "automation (adminToken)", kind: "admin", role, secret });
}
