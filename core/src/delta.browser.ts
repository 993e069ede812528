/**
 * @module Applying a stream delta in browsers (core's package.json `browser` map swaps it in for delta.ts).
 * Deltas reach a page only from our own server, which builds each `upsert`/`remove` list from its validated
 * rulesets, so the structural checks of delta.ts are left out. Kept: what protects the rules a page holds
 * from a delta that does not belong to them — another format or environment, a version gap (a missed
 * delta), one that does not move forward (out of order, replayed). Anything malformed that still arrives
 * throws inside the merge (caught: the caller refetches) or fails compilation, so the last good rules stay.
 */
import type * as Delta from "./delta.js";
import { RULESET_FORMAT_VERSION } from "./model.js";

type Keyed = { key: string };

const merge = <T extends Keyed>(items: T[], change?: { upsert?: T[]; remove?: string[] }): T[] => {
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const key of change?.remove ?? []) byKey.delete(key);
  for (const item of change?.upsert ?? []) byKey.set(item.key, item);
  return [...byKey.values()];
};

export const applyDelta: typeof Delta.applyDelta = (ruleset, delta) => {
  try {
    if (
      delta.formatVersion === RULESET_FORMAT_VERSION &&
      delta.environment === ruleset.environment &&
      delta.fromVersion === ruleset.version &&
      delta.version > delta.fromVersion
    ) {
      return {
        ...ruleset,
        version: delta.version,
        flags: merge(ruleset.flags, delta.flags),
        segments: merge(ruleset.segments, delta.segments),
      };
    }
  } catch {}
  return undefined;
};
