/**
 * @module The freeze rule, checked inside every change's transaction (commitChange): a change touching a
 * frozen environment is refused (423) unless it is a kill or an incident (incidents do not wait), the
 * guard's own rollback, the freeze itself being lifted or set, or a change that serves nothing new (filing a
 * request, rejecting, commenting) — or an admin overrides with a reason, which then goes into the audit
 * entry. Whether a freeze is still on is decided by the injected clock (`deps.now`), the same one that
 * checked its end when it was set, never by the database's own.
 */
import type { Actor } from "../auth/actor.js";
import type { Trx } from "../changes/commit.js";
import { FrozenError } from "../problem/errors.js";

const ALWAYS_ALLOWED = new Set(["flag.kill", "incident.declare", "guard.trip", "freeze.start", "freeze.end"]);

/**
 * Filing, approving without applying, deciding against, commenting and pausing change nothing that is
 * served, so a freeze lets them through: what they ask for is applied (and refused) only when it applies.
 */
const SERVES_NOTHING_NEW = new Set([
  "promotion.request",
  "promotion.approve",
  "promotion.reject",
  "promotion.fail",
  "change-request.create",
  "change-request.comment",
  "change-request.reject",
  "change-request.conflict",
  "schedule.pause",
  "schedule.resume",
  "schedule.fail",
]);

/** The freeze in force on any of `environments` at `now`, if there is one. */
export function activeFreeze(trx: Pick<Trx, "selectFrom">, environments: string[], now: Date) {
  return trx
    .selectFrom("freezes")
    .selectAll()
    .where("environment_key", "in", environments)
    .where("until", ">", now)
    .orderBy("environment_key")
    .executeTakeFirst();
}

export function freezeRefusal(frozen: { environment_key: string; reason: string; until: Date | string }) {
  const until = new Date(frozen.until).toISOString();
  return new FrozenError(
    `${frozen.environment_key} is frozen until ${until} (${frozen.reason}). Kills still work; an admin can override with the X-Switchyard-Freeze-Override header and a reason.`,
    { environment: frozen.environment_key, reason: frozen.reason, until },
  );
}

/** Returns the audit reason to record (with the override noted) or throws FrozenError. */
export async function checkFreeze(
  trx: Trx,
  action: string,
  actor: Actor,
  environments: string[],
  reason: string | null,
  now: Date,
): Promise<string | null> {
  if (environments.length === 0 || ALWAYS_ALLOWED.has(action) || SERVES_NOTHING_NEW.has(action)) {
    return reason;
  }
  const frozen = await activeFreeze(trx, environments, now);
  if (!frozen) return reason;
  if (actor.freezeOverride && actor.role === "admin") {
    return `${reason ? `${reason} ` : ""}[freeze override: ${actor.freezeOverride}]`;
  }
  throw freezeRefusal(frozen);
}
