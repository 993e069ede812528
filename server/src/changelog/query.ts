/**
 * @module Which audit entries an environment's changelog shows. An entry belongs to the environment when it
 * names it, changed its ruleset (a promotion to several, an incident) or is a promotion into it; it
 * matches a flag (or a tag's flags) when it names the flag, changed it in the environment's ruleset, or is
 * a promotion that lists it — so promotions and incidents, which touch several flags, are found by any.
 */
import { type Expression, type SqlBool, sql } from "kysely";
import type { AppDeps } from "../deps.js";

export interface ChangelogFilter {
  flag?: string;
  tag?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

export const MAX_ROWS = 10_000;

/** `key` is the flag asked for, or one carrying the tag asked for. */
function wanted(key: Expression<unknown>, filter: ChangelogFilter) {
  const conditions = [
    ...(filter.flag !== undefined ? [sql<SqlBool>`${key} = ${filter.flag}`] : []),
    ...(filter.tag !== undefined
      ? [sql<SqlBool>`${key} in (select key from flags where tags @> ${JSON.stringify([filter.tag])}::jsonb)`]
      : []),
  ];
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

export function changelogRows(db: AppDeps["db"], env: string, filter: ChangelogFilter) {
  const promotionsInto = sql<SqlBool>`(audit_log.target_type = 'promotion' and audit_log.target_key in (
    select id::text from promotions where to_environments @> ${JSON.stringify([env])}::jsonb))`;
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("environment_key", "=", env),
        eb(
          "id",
          "in",
          eb.selectFrom("ruleset_changes").select("audit_id").where("environment_key", "=", env),
        ),
        promotionsInto,
      ]),
    );
  if (filter.flag !== undefined || filter.tag !== undefined) {
    const flagRef = sql.ref("audit_log.flag_key");
    const changedHere = sql<SqlBool>`audit_log.id in (
      select audit_id from ruleset_changes rc where rc.environment_key = ${env} and exists (
        select 1 from jsonb_array_elements_text(rc.flags_changed) as changed(key)
        where ${wanted(sql.ref("changed.key"), filter)}))`;
    const promoted = sql<SqlBool>`(audit_log.target_type = 'promotion' and audit_log.target_key in (
      select p.id::text from promotions p where exists (
        select 1 from jsonb_array_elements_text(p.flags) as promoted(key)
        where ${wanted(sql.ref("promoted.key"), filter)})))`;
    query = query.where((eb) => eb.or([wanted(flagRef, filter), changedHere, promoted]));
  }
  if (filter.actor) query = query.where("actor_name", "=", filter.actor);
  if (filter.from) query = query.where("at", ">=", filter.from);
  if (filter.to) query = query.where("at", "<=", filter.to);
  return query.orderBy("id", "desc").limit(MAX_ROWS).execute();
}
