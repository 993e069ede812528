/**
 * @module The freeze rule, checked inside every change's transaction (commitChange): a change touching a
 * frozen environment is refused (423) unless it is a kill or an incident (incidents do not wait), the
 * guard's own rollback, the freeze itself being lifted or set — or an admin overrides with a reason,
 * which then goes into the audit entry.
 */
import { sql } from "kysely";
import type { Actor } from "../auth/actor.js";
import type { Trx } from "../changes/commit.js";
import { FrozenError } from "../problem/errors.js";

const ALWAYS_ALLOWED = new Set(["flag.kill", "incident.declare", "guard.trip", "freeze.start", "freeze.end"]);

/** Returns the audit reason to record (with the override noted) or throws FrozenError. */
export async function checkFreeze(
  trx: Trx,
  action: string,
  actor: Actor,
  environments: string[],
  reason: string | null,
): Promise<string | null> {
  if (environments.length === 0 || ALWAYS_ALLOWED.has(action)) return reason;
  const frozen = await trx
    .selectFrom("freezes")
    .selectAll()
    .where("environment_key", "in", environments)
    .where("until", ">", sql<Date>`now()`)
    .executeTakeFirst();
  if (!frozen) return reason;
  if (actor.freezeOverride && actor.role === "admin") {
    return `${reason ? `${reason} ` : ""}[freeze override: ${actor.freezeOverride}]`;
  }
  const until = new Date(frozen.until).toISOString();
  throw new FrozenError(
    `${frozen.environment_key} is frozen until ${until} (${frozen.reason}). Kills still work; an admin can override with the X-Switchyard-Freeze-Override header and a reason.`,
    { environment: frozen.environment_key, reason: frozen.reason, until },
  );
}
