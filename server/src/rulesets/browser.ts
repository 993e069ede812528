/**
 * @module Builds the browser-safe ruleset for client keys (see `toBrowserRuleset` in core), remembering what
 * it hashed: a flag is re-hashed only when its object changed (the store keeps unchanged flags' objects
 * across versions) and a segment only when its version did, so a kill switch does not re-hash 1,000 flags'
 * targets or a 100,000-key pilot cohort.
 */
import {
  type Flag,
  type Ruleset,
  type Segment,
  toBrowserFlag,
  toBrowserRuleset,
  toBrowserSegment,
} from "@switchyard/core";

export function createBrowserRulesets(): (ruleset: Ruleset, salt: string) => Ruleset {
  let cachedSalt: string | undefined;
  let flags = new WeakMap<Flag, Flag>();
  const segments = new Map<string, { version: number; salt: string; segment: Segment }>();

  const hashedFlag = (source: Flag, salt: string): Flag => {
    let flag = flags.get(source);
    if (!flag) {
      flag = toBrowserFlag(source, salt);
      flags.set(source, flag);
    }
    return flag;
  };
  const hashedSegment = (source: Segment, salt: string): Segment => {
    const hit = segments.get(source.key);
    if (hit && hit.version === source.version && hit.salt === salt) return hit.segment;
    const segment = toBrowserSegment(source, salt);
    segments.set(source.key, { version: source.version, salt, segment });
    return segment;
  };

  return (ruleset, salt) => {
    if (salt !== cachedSalt) {
      cachedSalt = salt;
      flags = new WeakMap();
    }
    // Core decides which flags and segments a browser may see, on copies without key lists (cheap).
    const visible = ruleset.flags.filter((f) => f.clientVisible);
    const light = ruleset.segments.map(({ key, version, rules }) => ({ key, version, rules }));
    const used = toBrowserRuleset(
      { ...ruleset, flags: visible.map((f) => ({ ...f, targets: undefined })), segments: light },
      salt,
    );
    const byKey = new Map(ruleset.segments.map((s) => [s.key, s]));
    return {
      ...used,
      flags: visible.map((f) => hashedFlag(f, salt)),
      segments: used.segments.map((s) => hashedSegment(byKey.get(s.key) as Segment, salt)),
    };
  };
}
