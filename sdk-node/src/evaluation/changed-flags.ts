/**
 * @module Which flags an update may have changed, so an app can react to a kill switch: flags whose
 * version moved (or that appeared or went away), plus flags that use a changed segment or depend, through
 * prerequisites, on a changed flag.
 */
import type { Flag, Ruleset, RulesetDelta, Segment } from "@switchyard/core";

/** Keys changed between two whole rulesets, compared by per-flag and per-segment versions. */
export function changedBetween(before: Ruleset | undefined, after: Ruleset): string[] {
  if (!before || before.environment !== after.environment) {
    return unique([...(before?.flags ?? []).map((f) => f.key), ...after.flags.map((f) => f.key)]);
  }
  return withDependents(
    after,
    movedKeys(before.flags, after.flags),
    movedKeys(before.segments, after.segments),
  );
}

/** Keys changed by a delta that has been applied to produce `after`. */
export function changedByDelta(delta: RulesetDelta, after: Ruleset): string[] {
  const flags = new Set<string>([
    ...(delta.flags?.upsert ?? []).map((f) => f.key),
    ...(delta.flags?.remove ?? []),
  ]);
  const segments = new Set<string>([
    ...(delta.segments?.upsert ?? []).map((s) => s.key),
    ...(delta.segments?.remove ?? []),
  ]);
  return withDependents(after, flags, segments);
}

function movedKeys(before: readonly (Flag | Segment)[], after: readonly (Flag | Segment)[]): Set<string> {
  const versions = new Map<string, number>();
  for (const item of before) versions.set(item.key, item.version);
  const moved = new Set<string>();
  for (const item of after) {
    if (versions.get(item.key) !== item.version) moved.add(item.key);
    versions.delete(item.key);
  }
  for (const key of versions.keys()) moved.add(key);
  return moved;
}

function withDependents(after: Ruleset, flags: Set<string>, segments: Set<string>): string[] {
  if (segments.size > 0) {
    for (const flag of after.flags) if (usesSegment(flag, segments)) flags.add(flag.key);
  }
  // Prerequisite chains: repeat until nothing new is added (at most one pass per flag).
  let grew = flags.size > 0;
  for (let pass = 0; grew && pass < after.flags.length; pass++) {
    grew = false;
    for (const flag of after.flags) {
      if (flags.has(flag.key) || !flag.prerequisites) continue;
      if (flag.prerequisites.some((p) => flags.has(p.flagKey))) {
        flags.add(flag.key);
        grew = true;
      }
    }
  }
  return [...flags];
}

function usesSegment(flag: Flag, segments: Set<string>): boolean {
  if (flag.shadow?.segment && segments.has(flag.shadow.segment)) return true;
  for (const rule of flag.rules ?? []) {
    for (const clause of rule.clauses) {
      if (clause.op === "segmentMatch" && clause.values.some((v) => segments.has(String(v)))) return true;
    }
  }
  return false;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
