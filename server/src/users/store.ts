/**
 * @module Admin UI users: invite (a one-time setup link, or an initial password), change role, disable.
 * The last active admin cannot be demoted or disabled.
 */
import type { Actor } from "../auth/actor.js";
import { hashPassword } from "../auth/passwords.js";
import { createSetupLink, SETUP_TOKEN_TTL_MS } from "../auth/setup.js";
import { commitChange, type Trx } from "../changes/commit.js";
import { assertVersion, type BaseVersion } from "../changes/version.js";
import type { Role, UserRow } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { ConflictError, NotFoundError, ValidationError } from "../problem/errors.js";

export interface UserView {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  passwordSet: boolean;
  version: number;
  createdAt: string;
}

export function userView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    passwordSet: row.password_hash !== null,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function listUsers(deps: Pick<AppDeps, "db">): Promise<UserView[]> {
  return (await deps.db.selectFrom("users").selectAll().orderBy("id").execute()).map(userView);
}

export async function getUser(deps: Pick<AppDeps, "db">, id: number): Promise<UserView> {
  const row = await deps.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No user with id ${id}.`);
  return userView(row);
}

export async function createUser(
  deps: AppDeps,
  actor: Actor,
  input: { email: string; name: string; role: Role; password?: string },
): Promise<{ user: UserView; setupUrl?: string }> {
  const email = input.email.toLowerCase();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "user.create",
      targetType: "user",
      targetKey: email,
      before: null,
      after: (row: UserRow) => userView(row),
      affects: [],
    },
    async (trx) => {
      const clash = await trx.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
      if (clash) throw new ConflictError(`A user with email ${email} exists.`, userView(clash));
      return trx
        .insertInto("users")
        .values({ email, name: input.name, role: input.role, password_hash: passwordHash })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  );
  const setupUrl = passwordHash ? undefined : await createSetupLink(deps, result.id);
  return { user: userView(result), ...(setupUrl ? { setupUrl } : {}) };
}

async function activeAdminsOtherThan(trx: Trx, id: number): Promise<number> {
  const row = await trx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("disabled_at", "is", null)
    .where("id", "!=", id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateUser(
  deps: AppDeps,
  actor: Actor,
  id: number,
  base: BaseVersion,
  changes: { name?: string; role?: Role; disabled?: boolean; password?: string },
): Promise<UserView> {
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: changes.disabled ? "user.disable" : "user.update",
      targetType: "user",
      targetKey: String(id),
      before: (r: { before: UserRow }) => userView(r.before),
      after: (r: { after: UserRow }) => userView(r.after),
      affects: [],
    },
    async (trx) => {
      const before = await trx
        .selectFrom("users")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new NotFoundError(`No user with id ${id}.`);
      assertVersion(base, before.version, userView(before));
      const losesAdmin =
        before.role === "admin" && ((changes.role && changes.role !== "admin") || changes.disabled);
      if (losesAdmin && (await activeAdminsOtherThan(trx, id)) === 0) {
        throw ValidationError.field(changes.disabled ? "disabled" : "role", "this is the last active admin");
      }
      const disabledAt =
        changes.disabled === undefined
          ? undefined
          : changes.disabled
            ? (before.disabled_at ?? deps.now())
            : null;
      const after = await trx
        .updateTable("users")
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.role !== undefined ? { role: changes.role } : {}),
          ...(disabledAt !== undefined ? { disabled_at: disabledAt } : {}),
          ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
          version: before.version + 1,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (changes.disabled || passwordHash)
        await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      return { before, after };
    },
  );
  return userView(result.after);
}

/** A fresh one-time setup link (password reset): audited, since it hands someone the account. */
export async function issueSetupLink(deps: AppDeps, actor: Actor, user: UserView): Promise<string> {
  const expiresAt = new Date(deps.now().getTime() + SETUP_TOKEN_TTL_MS).toISOString();
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "user.setup_link",
      targetType: "user",
      targetKey: user.email,
      before: null,
      after: { user: user.id, expiresAt },
      affects: [],
    },
    (trx) => createSetupLink(deps, user.id, trx),
  );
  return result;
}
