/**
 * @module The pipeline view: each flag's journey across environments in release order (development →
 * staging → production), with a fingerprint of its setup in each, so a screen can show which
 * environments serve the same and which lag behind, and offer "promote" where one differs from the
 * environment before it.
 */

import { jsonb } from "../db/json.js";
import type { AppDeps } from "../deps.js";
import { stateView } from "../flags/state-store.js";
import { fingerprint, segmentReferences, setupOf } from "./setup.js";

export async function promotionPipeline(deps: Pick<AppDeps, "db">, tag?: string) {
  const environments = await deps.db
    .selectFrom("environments")
    .select(["key", "name", "sort_order", "created_at"])
    .orderBy("sort_order")
    .orderBy("created_at")
    .orderBy("key")
    .execute();
  let flagQuery = deps.db
    .selectFrom("flags")
    .select(["key", "name", "tags"])
    .where("archived_at", "is", null)
    .orderBy("key");
  if (tag) flagQuery = flagQuery.where("tags", "@>", jsonb([tag]));
  const flags = await flagQuery.execute();
  const keys = flags.map((f) => f.key);
  const states = keys.length
    ? await deps.db.selectFrom("flag_states").selectAll().where("flag_key", "in", keys).execute()
    : [];
  const stateOf = new Map(states.map((s) => [`${s.environment_key}\u0000${s.flag_key}`, stateView(s)]));
  const segments = await deps.db.selectFrom("segments").select(["environment_key", "key"]).execute();
  const segmentKeys = new Set(segments.map((s) => `${s.environment_key}\u0000${s.key}`));
  const pending = await deps.db
    .selectFrom("promotions")
    .select(["id", "flags", "to_environments"])
    .where("status", "=", "pending")
    .orderBy("id")
    .execute();
  const pendingFor = new Map<string, number>();
  for (const p of pending) {
    for (const env of p.to_environments) for (const f of p.flags) pendingFor.set(`${env}\u0000${f}`, p.id);
  }

  return {
    environments: environments.map((e) => ({ key: e.key, name: e.name, sortOrder: e.sort_order })),
    flags: flags.map((flag) => {
      let previous: { environment: string; fingerprint: string; setup: ReturnType<typeof setupOf> } | null =
        null;
      const journey = [];
      for (const env of environments) {
        const state = stateOf.get(`${env.key}\u0000${flag.key}`);
        if (!state) continue;
        const setup = setupOf(state);
        const print = fingerprint(setup);
        const same = previous ? previous.fingerprint === print : null;
        const promote =
          previous && !same
            ? {
                from: previous.environment,
                to: env.key,
                blockedBy: [...new Set(segmentReferences(previous.setup).map((r) => r.key))]
                  .filter((key) => !segmentKeys.has(`${env.key}\u0000${key}`))
                  .map((key) => `segment "${key}" does not exist in ${env.key}`),
              }
            : null;
        journey.push({
          environment: env.key,
          fingerprint: print,
          on: state.on,
          version: state.version,
          updatedAt: state.updatedAt,
          sameAsPrevious: same,
          promote,
          pendingPromotion: pendingFor.get(`${env.key}\u0000${flag.key}`) ?? null,
        });
        previous = { environment: env.key, fingerprint: print, setup };
      }
      return {
        flag: flag.key,
        name: flag.name,
        tags: flag.tags,
        inSync: new Set(journey.map((j) => j.fingerprint)).size <= 1,
        environments: journey,
      };
    }),
  };
}
