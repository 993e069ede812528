/**
 * @module `@switchyard/core/vectors` — the shared evaluation vectors and how to read them, so the tests of
 * core, the server and both SDKs run the same cases the same way.
 */
import { toBrowserRuleset } from "../browser.js";
import type { Decision, JsonValue, Ruleset } from "../model.js";
import data from "./vectors.json" with { type: "json" };

export interface VectorCase {
  name: string;
  /** Key into `vectors.rulesets`. */
  ruleset: string;
  /** When set, run on `toBrowserRuleset(ruleset, browser)`: pilot-user keys hashed with this salt. */
  browser?: string;
  flag: string;
  context: unknown;
  default: JsonValue;
  expected: Partial<Decision>;
}

export interface Vectors {
  murmur3: [string, number, number][];
  buckets: [string, string, number][];
  hashKey: [string, string, string][];
  rulesets: Record<string, Ruleset>;
  cases: VectorCase[];
}

export const vectors = data as unknown as Vectors;

/** The decision fields a case pins; `errorMessage` is free text and not compared. */
export const PINNED_FIELDS = [
  "value",
  "variant",
  "reason",
  "ruleId",
  "ruleIndex",
  "targetMatch",
  "prerequisiteFailed",
  "errorCode",
] as const;

/** The pinned fields of a decision, to compare with `expected`. */
export function pinned(decision: Decision): Partial<Decision> {
  const out: Record<string, unknown> = {};
  for (const k of PINNED_FIELDS) if (decision[k] !== undefined) out[k] = decision[k];
  return out as Partial<Decision>;
}

/** The ruleset a case runs on, browser-safe when the case says so. */
export function rulesetFor(c: VectorCase): Ruleset {
  const source = vectors.rulesets[c.ruleset];
  if (!source) throw new Error(`vectors: no ruleset ${c.ruleset}`);
  return c.browser ? toBrowserRuleset(source, c.browser) : source;
}

/**
 * The ruleset a case runs on as a browser receives it: always browser-safe (keys hashed, `matches` patterns
 * bounded by the server's guard). A case that does not ask for a browser ruleset gets every flag made
 * client-visible and a fixed salt, so it decides as on the server ruleset.
 */
export function browserRulesetFor(c: VectorCase): Ruleset {
  if (c.browser) return rulesetFor(c);
  const source = rulesetFor(c);
  return toBrowserRuleset(
    { ...source, flags: source.flags.map((f) => ({ ...f, clientVisible: true })) },
    "vectors",
  );
}
