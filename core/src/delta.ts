/** @module Applying a delta from the stream: only the flags and segments that changed. */
import type { Ruleset, RulesetDelta } from "./model.js";

function merge<T extends { key: string }>(items: T[], change?: { upsert?: T[]; remove?: string[] }): T[] {
  if (!change) return items;
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const key of change.remove ?? []) byKey.delete(key);
  for (const item of change.upsert ?? []) byKey.set(item.key, item);
  return [...byKey.values()];
}

/**
 * The ruleset after `delta`, or undefined when the delta does not apply to this ruleset (another
 * environment, or built on a version we do not hold): the caller then fetches the full ruleset.
 */
export function applyDelta(ruleset: Ruleset, delta: RulesetDelta): Ruleset | undefined {
  if (delta.environment !== ruleset.environment || delta.fromVersion !== ruleset.version) return undefined;
  return {
    ...ruleset,
    version: delta.version,
    flags: merge(ruleset.flags, delta.flags),
    segments: merge(ruleset.segments, delta.segments),
  };
}
