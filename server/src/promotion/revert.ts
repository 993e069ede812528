/**
 * @module Reverting an applied promotion: every target setup it replaced goes back exactly as it was,
 * in one `commitChange` (`promotion.revert`). A target changed after the promotion is not overwritten
 * silently: that is a 409 unless the caller says `force`.
 */
import type { Actor } from "../auth/actor.js";
import { commitChange } from "../changes/commit.js";
import type { AppDeps } from "../deps.js";
import { stateView } from "../flags/state-store.js";
import { type StateFields, validateState } from "../flags/validate-state.js";
import { ConflictError, ValidationError } from "../problem/errors.js";
import { writeSetup } from "./plan.js";
import { setupOf } from "./setup.js";
import { lockPromotion, promotionTargets } from "./store.js";

type Deps = Omit<AppDeps, "rulesets">;

export async function revertPromotion(
  deps: Deps,
  actor: Actor,
  id: number,
  options: { force?: boolean; reason?: string } = {},
) {
  const now = deps.now();
  const to = await promotionTargets(deps.db, id);
  const { result } = await commitChange(
    deps,
    {
      actor,
      action: "promotion.revert",
      targetType: "promotion",
      targetKey: String(id),
      environment: to.length === 1 ? to[0] : null,
      environments: to,
      reason: options.reason ?? null,
      before: (r: { before: unknown }) => r.before,
      after: (r: { after: unknown }) => r.after,
      affects: (r: { versions: Record<string, Record<string, number>> }) =>
        Object.entries(r.versions).map(([environment, flags]) => ({
          environment,
          flags: Object.keys(flags),
        })),
    },
    async (trx) => {
      const promotion = await lockPromotion(trx, id);
      if (promotion.status === "reverted") {
        throw new ConflictError(`Promotion ${id} was already reverted by ${promotion.reverted_by}.`);
      }
      if (promotion.status !== "applied") {
        throw new ConflictError(
          `Promotion ${id} is ${promotion.status}; only an applied promotion can be reverted.`,
        );
      }
      const replaced = (promotion.replaced_states ?? {}) as Record<
        string,
        Record<string, StateFields & { version: number }>
      >;
      const applied = promotion.applied_versions ?? {};
      const before: Record<string, Record<string, unknown>> = {};
      const after: Record<string, Record<string, unknown>> = {};
      const versions: Record<string, Record<string, number>> = {};
      for (const [environment, flags] of Object.entries(replaced)) {
        for (const [flag, previous] of Object.entries(flags)) {
          const current = await trx
            .selectFrom("flag_states")
            .selectAll()
            .where("environment_key", "=", environment)
            .where("flag_key", "=", flag)
            .forUpdate()
            .executeTakeFirst();
          if (!current) throw new ConflictError(`Flag "${flag}" no longer exists in ${environment}.`);
          const wrote = applied[environment]?.[flag];
          if (!options.force && current.version !== wrote) {
            throw new ConflictError(
              `Flag "${flag}" in ${environment} was changed after the promotion (version ${current.version}, the promotion wrote ${wrote}); send "force": true to put the replaced setup back anyway.`,
              stateView(current),
            );
          }
          const setup = setupOf(previous);
          const definition = await trx
            .selectFrom("flags")
            .select(["key", "kind", "variations", "salt"])
            .where("key", "=", flag)
            .executeTakeFirstOrThrow();
          try {
            await validateState(trx, environment, definition, setup);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            throw new ValidationError(
              `Cannot revert flag "${flag}" in ${environment}: ${error.message}`,
              (error.errors ?? []).map((e) => ({ ...e, path: `${environment}.${flag}.${e.path}` })),
            );
          }
          const row = await writeSetup(trx, current, setup, actor, now);
          before[environment] = { ...before[environment], [flag]: setupOf(stateView(current)) };
          after[environment] = { ...after[environment], [flag]: { ...setup, version: row.version } };
          versions[environment] = { ...versions[environment], [flag]: row.version };
        }
      }
      await trx
        .updateTable("promotions")
        .set({ status: "reverted", reverted_by: actor.name, reverted_at: now })
        .where("id", "=", id)
        .execute();
      return {
        before: { promotion: id, environments: before },
        after: { promotion: id, environments: after },
        versions,
      };
    },
  );
  return { id, status: "reverted" as const, versions: result.versions };
}
