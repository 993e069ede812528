/** @module Applying a delta from the stream: only the flags and segments that changed. */
import { RULESET_FORMAT_VERSION, type Ruleset, type RulesetDelta } from "./model.js";

type Change<T> = { upsert?: T[]; remove?: string[] };

function merge<T extends { key: string }>(items: T[], change?: Change<T>): T[] {
  if (!change) return items;
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const key of change.remove ?? []) byKey.delete(key);
  for (const item of change.upsert ?? []) byKey.set(item.key, item);
  return [...byKey.values()];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Absent, or `{ upsert?: [{ key }], remove?: [key] }`: what `merge` can apply without guessing. */
function isChange(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  const { upsert = [], remove = [] } = v;
  return (
    Array.isArray(upsert) &&
    upsert.every((item) => isObject(item) && typeof item.key === "string") &&
    Array.isArray(remove) &&
    remove.every((key) => typeof key === "string")
  );
}

/** Whether `delta` is well-formed and moves `ruleset` forward: same format and environment, no gap. */
function appliesTo(ruleset: Ruleset, delta: RulesetDelta): boolean {
  return (
    isObject(delta) &&
    delta.formatVersion === RULESET_FORMAT_VERSION &&
    delta.environment === ruleset.environment &&
    delta.fromVersion === ruleset.version &&
    Number.isInteger(delta.version) &&
    delta.version > delta.fromVersion &&
    isChange(delta.flags) &&
    isChange(delta.segments)
  );
}

/**
 * The ruleset after `delta`, or undefined when the delta does not apply to this ruleset (malformed, another
 * format or environment, built on a version we do not hold, or not moving forward): the caller keeps the
 * ruleset it has and fetches the full one. The result still goes through compilation, which validates the
 * flags and segments it carries. Never throws.
 */
export function applyDelta(ruleset: Ruleset, delta: RulesetDelta): Ruleset | undefined {
  if (!appliesTo(ruleset, delta)) return undefined;
  return {
    ...ruleset,
    version: delta.version,
    flags: merge(ruleset.flags, delta.flags),
    segments: merge(ruleset.segments, delta.segments),
  };
}
