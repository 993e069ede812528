/**
 * @module The one write path. A change, its audit entry and the ruleset version bump of every affected
 * environment commit together or not at all; only after COMMIT is the change published on the bus, so
 * no SDK ever hears of a version the database does not hold.
 */
import type { Transaction } from "kysely";
import type { Actor } from "../auth/actor.js";
import { jsonb } from "../db/json.js";
import type { Database } from "../db/schema.js";
import type { AppDeps } from "../deps.js";
import { checkFreeze } from "../freezes/check.js";
import { NotFoundError } from "../problem/errors.js";
import { enqueueWebhooks, notifyQueued } from "../webhooks/outbox.js";

export interface AffectedEnvironment {
  environment: string;
  flags?: string[];
  segments?: string[];
}

/** A value, or computed from what the mutation returned. */
type FromResult<T, V> = V | ((result: T) => V);

export interface ChangeDescription<T> {
  actor: Actor;
  /** Verb in the domain's words: `flag.create`, `flag.kill`, `segment.update`, `incident.declare`… */
  action: string;
  targetType: string;
  targetKey: string;
  environment?: string | null;
  flag?: string | null;
  reason?: string | null;
  /** State before the change; compute it from the result when it is read inside the transaction. */
  before: FromResult<T, unknown>;
  after: FromResult<T, unknown>;
  /** Environments whose ruleset this change alters; each gets exactly one version bump. */
  affects: FromResult<T, AffectedEnvironment[]>;
  /**
   * Every environment the change concerns when `environment` cannot name them all (a promotion to several):
   * webhooks scoped to any of them hear of it. `environment` and the affected ones are included anyway.
   */
  environments?: FromResult<T, string[]>;
}

export interface CommittedChange<T> {
  result: T;
  auditId: number;
  rulesetVersions: Record<string, number>;
}

export type Trx = Transaction<Database>;

/** The clock decides whether a freeze is still on, so tests and every instance agree with `deps.now`. */
type CommitDeps = Pick<AppDeps, "db" | "bus" | "logger" | "now">;

const resolveValue = <T, V>(value: FromResult<T, V>, result: T): V =>
  typeof value === "function" ? (value as (r: T) => V)(result) : value;

/**
 * @example
 * const { result, rulesetVersions } = await commitChange(deps, {
 *   actor, action: "flag.kill", targetType: "flag", targetKey: "new-checkout", environment: "production",
 *   flag: "new-checkout", reason, before, after: (state) => state,
 *   affects: [{ environment: "production", flags: ["new-checkout"] }],
 * }, (trx) => setFlagOff(trx, "production", "new-checkout"));
 */
export async function commitChange<T>(
  deps: CommitDeps,
  change: ChangeDescription<T>,
  mutate: (trx: Trx) => Promise<T>,
): Promise<CommittedChange<T>> {
  return commitChanges(deps, async (trx, record) => {
    const result = await mutate(trx);
    return { result, ...(await record(change, result)) };
  });
}

/** Records one change (audit entry, webhooks, ruleset bumps) inside a transaction of {@link commitChanges}. */
export type RecordChange = <R>(
  change: ChangeDescription<R>,
  result: R,
) => Promise<{ auditId: number; rulesetVersions: Record<string, number> }>;

/**
 * Several changes in one transaction, each with its own audit entry: e.g. an approval and the edit it
 * applies. Everything commits together or not at all; ruleset events are published after COMMIT.
 */
export async function commitChanges<T>(
  deps: CommitDeps,
  work: (trx: Trx, record: RecordChange) => Promise<T>,
): Promise<T> {
  const events: RulesetEvent[] = [];
  let queuedWebhooks = 0;
  const result = await deps.db.transaction().execute((trx) =>
    work(trx, async (change, changeResult) => {
      const recorded = await recordChange(deps, trx, change, changeResult);
      events.push(...recorded.events);
      queuedWebhooks += recorded.queuedWebhooks;
      return { auditId: recorded.auditId, rulesetVersions: recorded.rulesetVersions };
    }),
  );
  if (queuedWebhooks > 0) notifyQueued();

  for (const event of events) {
    await deps.bus.publish({ type: "ruleset", ...event }).catch((error) => {
      // The change is committed; instances that miss the event catch up on reconnect/reload.
      deps.logger.error({ err: error, environment: event.environment }, "could not publish ruleset change");
    });
  }
  return result;
}

type RulesetEvent = { environment: string; version: number; flags: string[]; segments: string[] };

async function recordChange<T>(deps: CommitDeps, trx: Trx, change: ChangeDescription<T>, result: T) {
  const before = resolveValue(change.before, result);
  const after = resolveValue(change.after, result);
  const affects = mergeAffected(resolveValue(change.affects, result));
  const touched = [
    ...new Set([...affects.map((a) => a.environment), ...(change.environment ? [change.environment] : [])]),
  ];
  const concerned = [...new Set([...touched, ...resolveValue(change.environments ?? [], result)])];
  const reason = await checkFreeze(
    trx,
    change.action,
    change.actor,
    touched,
    change.reason ?? null,
    deps.now(),
  );
  const audit = await trx
    .insertInto("audit_log")
    .values({
      actor_type: change.actor.type,
      actor_id: change.actor.id,
      actor_name: change.actor.name,
      action: change.action,
      target_type: change.targetType,
      target_key: change.targetKey,
      environment_key: change.environment ?? null,
      flag_key: change.flag ?? null,
      reason,
      before: before == null ? null : jsonb(before),
      after: after == null ? null : jsonb(after),
    })
    .returning(["id", "at"])
    .executeTakeFirstOrThrow();
  const flags = [
    ...new Set([...(change.flag ? [change.flag] : []), ...affects.flatMap((a) => a.flags ?? [])]),
  ];
  if (flags.length) {
    await trx
      .insertInto("audit_log_flags")
      .values(flags.map((flag_key) => ({ audit_id: audit.id, flag_key })))
      .execute();
  }
  const queuedWebhooks = await enqueueWebhooks(trx, {
    auditId: audit.id,
    at: new Date(audit.at),
    action: change.action,
    actor: { type: change.actor.type, id: change.actor.id, name: change.actor.name },
    environment: change.environment ?? null,
    environments: concerned,
    flag: change.flag ?? null,
    targetType: change.targetType,
    targetKey: change.targetKey,
    reason,
    before,
    after,
  });
  const rulesetVersions: Record<string, number> = {};
  const events: RulesetEvent[] = [];
  for (const affected of affects) {
    const bumped = await trx
      .updateTable("environments")
      .set((eb) => ({ ruleset_version: eb("ruleset_version", "+", 1) }))
      .where("key", "=", affected.environment)
      .returning("ruleset_version")
      .executeTakeFirst();
    if (!bumped) throw new NotFoundError(`Environment "${affected.environment}" does not exist.`);
    const flags = affected.flags ?? [];
    const segments = affected.segments ?? [];
    await trx
      .insertInto("ruleset_changes")
      .values({
        environment_key: affected.environment,
        version: bumped.ruleset_version,
        flags_changed: jsonb(flags),
        segments_changed: jsonb(segments),
        audit_id: audit.id,
      })
      .execute();
    rulesetVersions[affected.environment] = bumped.ruleset_version;
    events.push({ environment: affected.environment, version: bumped.ruleset_version, flags, segments });
  }
  return { auditId: audit.id, rulesetVersions, events, queuedWebhooks };
}

/** One bump per environment even if a change lists it twice. */
function mergeAffected(list: AffectedEnvironment[]): AffectedEnvironment[] {
  const byEnv = new Map<string, { flags: Set<string>; segments: Set<string> }>();
  for (const a of list) {
    const entry = byEnv.get(a.environment) ?? { flags: new Set(), segments: new Set() };
    for (const f of a.flags ?? []) entry.flags.add(f);
    for (const s of a.segments ?? []) entry.segments.add(s);
    byEnv.set(a.environment, entry);
  }
  return [...byEnv].map(([environment, e]) => ({
    environment,
    flags: [...e.flags],
    segments: [...e.segments],
  }));
}
