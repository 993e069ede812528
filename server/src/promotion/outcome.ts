/**
 * @module What an applied promotion leaves behind: the target setups it replaced (for revert), the
 * versions it wrote, the environments whose rulesets change, and the audit entry's `after`.
 */
import type { PromotionPreview } from "./plan.js";

export type Replaced = Record<string, Record<string, unknown>>;
export type Versions = Record<string, Record<string, number>>;

export type Written = Map<string, Map<string, { version: number }>>;

/** What an applied promotion records: the target setups it replaced and the versions it wrote. */
export function replacedAndWritten(preview: PromotionPreview, written: Written) {
  const replaced: Replaced = {};
  const versions: Versions = {};
  for (const target of preview.targets) {
    const writes = written.get(target.environment);
    for (const plan of target.flags) {
      const row = writes?.get(plan.flag);
      if (!row) continue;
      replaced[target.environment] = { ...replaced[target.environment], [plan.flag]: plan.before };
      versions[target.environment] = { ...versions[target.environment], [plan.flag]: row.version };
    }
  }
  return { replaced, versions };
}

/** The audit entry's `after`: every flag in every environment, with its new version or "unchanged". */
export function auditAfter(id: number, preview: PromotionPreview, versions: Versions) {
  return {
    promotion: id,
    from: preview.from,
    to: preview.to,
    flags: preview.flags,
    environments: Object.fromEntries(
      preview.targets.map((t) => [
        t.environment,
        Object.fromEntries(
          t.flags.map((f) => [
            f.flag,
            f.unchanged
              ? { unchanged: true }
              : { version: versions[t.environment]?.[f.flag], changes: f.changes },
          ]),
        ),
      ]),
    ),
  };
}

export function affectedBy(versions: Versions) {
  return Object.entries(versions).map(([environment, flags]) => ({ environment, flags: Object.keys(flags) }));
}
