/**
 * @module The incident screen's list of kills: every `flag.kill` and `incident.declare`, newest first, with
 * the flags each turned off and the environment's ruleset version it produced — the version SDKs must
 * reach for that kill to have reached them (the delivery API answers per version). Paged by audit id.
 */
import type { AppDeps } from "../deps.js";

export const KILL_ACTIONS = ["flag.kill", "incident.declare"] as const;

export interface Kill {
  id: number;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: (typeof KILL_ACTIONS)[number];
  environment: string | null;
  /** For an incident, the tag whose flags were killed. */
  tag: string | null;
  flags: string[];
  reason: string | null;
  /** The ruleset version the kill produced in its environment; null if it changed nothing. */
  rulesetVersion: number | null;
}

function killedFlags(action: string, flag: string | null, after: unknown): string[] {
  if (action === "flag.kill") return flag ? [flag] : [];
  const flags = (after as { flags?: Record<string, unknown> } | null)?.flags;
  return Object.keys(flags ?? {});
}

/** A page of kills older than audit id `before` (all when omitted), and the cursor of the next page. */
export async function listKills(
  deps: Pick<AppDeps, "db">,
  page: { before?: number; limit: number },
): Promise<{ kills: Kill[]; nextBefore: number | null }> {
  let query = deps.db
    .selectFrom("audit_log as a")
    .leftJoin("ruleset_changes as r", (join) =>
      join.onRef("r.audit_id", "=", "a.id").onRef("r.environment_key", "=", "a.environment_key"),
    )
    .select([
      "a.id",
      "a.at",
      "a.actor_type",
      "a.actor_id",
      "a.actor_name",
      "a.action",
      "a.target_key",
      "a.environment_key",
      "a.flag_key",
      "a.reason",
      "a.after",
      "r.version",
    ])
    .where("a.action", "in", [...KILL_ACTIONS])
    .orderBy("a.id", "desc")
    .limit(page.limit + 1);
  if (page.before !== undefined) query = query.where("a.id", "<", page.before);
  const rows = await query.execute();
  const kills = rows.slice(0, page.limit).map(
    (row): Kill => ({
      id: Number(row.id),
      at: new Date(row.at).toISOString(),
      actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
      action: row.action as Kill["action"],
      environment: row.environment_key,
      tag: row.action === "incident.declare" ? row.target_key : null,
      flags: killedFlags(row.action, row.flag_key, row.after),
      reason: row.reason,
      rulesetVersion: row.version === null ? null : Number(row.version),
    }),
  );
  const last = kills.at(-1);
  return { kills, nextBefore: rows.length > page.limit && last ? last.id : null };
}
