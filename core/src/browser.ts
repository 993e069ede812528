/**
 * @module The browser-safe ruleset: what a client key may see. Only client-visible flags, only the
 * segments they use, and pilot-user keys replaced by salted hashes, so a page never learns who they are.
 * `matches` patterns come with the input bound the full regex guard gives them (browsers ship no guard).
 */
import { hashKey } from "./bucket.js";
import type { Clause, Flag, Ruleset, Segment } from "./model.js";
import { safePattern } from "./regexp-guard.js";

function segmentsUsedBy(flags: Flag[]): Set<string> {
  const used = new Set<string>();
  for (const flag of flags) {
    for (const rule of flag.rules ?? []) {
      for (const clause of rule.clauses) {
        if (clause.op === "segmentMatch") for (const v of clause.values) used.add(String(v));
      }
    }
    if (flag.shadow?.segment) used.add(flag.shadow.segment);
  }
  return used;
}

/** Segments may reference other segments through segmentMatch clauses: follow them. */
function withNested(used: Set<string>, segments: Segment[]): Set<string> {
  const byKey = new Map(segments.map((s) => [s.key, s]));
  const queue = [...used];
  while (queue.length) {
    const segment = byKey.get(queue.pop() as string);
    for (const rule of segment?.rules ?? []) {
      for (const clause of rule.clauses) {
        if (clause.op !== "segmentMatch") continue;
        for (const v of clause.values) {
          if (!used.has(String(v))) {
            used.add(String(v));
            queue.push(String(v));
          }
        }
      }
    }
  }
  return used;
}

/** The bound the full guard gives a pattern (0 when it refuses it): what a browser tests values against. */
function bound(pattern: string): number {
  try {
    return safePattern(pattern).maxInput;
  } catch {
    return 0;
  }
}

/**
 * One clause as a browser sees it. `in`/`notIn` on `targetingKey` name pilot users too: their string values
 * are hashed like target keys. `matches` carries each pattern's bound, so browsers need not ship the guard.
 */
function browserClause(c: Clause, salt: string): Clause {
  if (c.op === "matches") {
    return { ...c, maxInput: c.values.filter((v): v is string => typeof v === "string").map(bound) };
  }
  if (c.attribute === "targetingKey" && (c.op === "in" || c.op === "notIn")) {
    return { ...c, values: c.values.map((v) => (typeof v === "string" ? hashKey(salt, v) : v)) };
  }
  return c;
}

function browserRules<T extends { clauses: Clause[] }>(
  rules: T[] | undefined,
  salt: string,
): T[] | undefined {
  return rules?.map((rule) => ({ ...rule, clauses: rule.clauses.map((c) => browserClause(c, salt)) }));
}

/** One flag as a browser may see it: target keys and `in` clauses on `targetingKey` hashed, patterns bounded. */
export function toBrowserFlag(flag: Flag, salt: string): Flag {
  return {
    ...flag,
    targets: flag.targets?.map((t) => ({ ...t, values: t.values.map((k) => hashKey(salt, k)) })),
    rules: browserRules(flag.rules, salt),
  };
}

/** One segment as a browser may see it: included/excluded keys and `in` clauses on `targetingKey` hashed. */
export function toBrowserSegment(segment: Segment, salt: string): Segment {
  const hash = (keys: string[] | undefined) => keys?.map((k) => hashKey(salt, k));
  return {
    ...segment,
    included: hash(segment.included),
    excluded: hash(segment.excluded),
    rules: browserRules(segment.rules, salt),
  };
}

export function toBrowserRuleset(ruleset: Ruleset, salt: string): Ruleset {
  const flags = ruleset.flags.filter((f) => f.clientVisible).map((f) => toBrowserFlag(f, salt));
  const used = withNested(segmentsUsedBy(flags), ruleset.segments);
  const segments = ruleset.segments.filter((s) => used.has(s.key)).map((s) => toBrowserSegment(s, salt));
  return { ...ruleset, flags, segments, keyHashing: { algorithm: "murmur3x2-64", salt } };
}
