/**
 * @module Shadow sampling: whether this call runs the candidate code path beside the primary one.
 * Core reads no clock and no randomness: for per-call sampling the SDK passes its own draw.
 * The rule is compiled once per compiled flag (reader, cohort test, the salt's hash state), like a
 * rollout, on the flag's first sampling decision: a call that is not sampled then costs one MurmurHash3
 * of the user's key and nothing else.
 */
import { bucketAfter, type HashPrefix, hashPrefix } from "./bucket.js";
import type { CompiledRuleset } from "./compile.js";
import type { EvaluationContext, Flag } from "./model.js";
import { attributeReader, type Matcher } from "./operators.js";

export interface CompiledShadow {
  /** Share of calls shadowed, in buckets (1..100,000). */
  sampleRate: number;
  perCall: boolean;
  /** Membership of the rule's cohort, when it names one. */
  inCohort: Matcher | undefined;
  read: (context: EvaluationContext) => unknown;
  /** `${salt}:shadow.` hashed once: drawn apart from the flag's rollouts, which hash `${salt}.`. */
  prefix: HashPrefix;
}

/** The flag's shadow rule ready to sample, or undefined when it never samples (absent, 0%, unusable). */
export function compileShadow(flag: Flag, ruleset: CompiledRuleset): CompiledShadow | null {
  const rule = flag.shadow;
  if (!rule || !(rule.sampleRate > 0)) return null;
  const cohort = rule.segment;
  try {
    return {
      sampleRate: rule.sampleRate,
      perCall: rule.stickiness === "call",
      inCohort: cohort ? (context) => ruleset.inSegment(cohort, context) : undefined,
      read: attributeReader(rule.bucketBy ?? "targetingKey"),
      prefix: hashPrefix(`${flag.salt}:shadow.`),
    };
  } catch {
    return null; // a malformed rule from the trusted (unvalidated) path: never shadow
  }
}

/**
 * True when the flag's shadow rule samples this call. `callDraw` (0..99,999) is the caller's random draw
 * for `stickiness: "call"`; user stickiness hashes the bucketing attribute with the flag's salt.
 */
export function shouldShadow(
  ruleset: CompiledRuleset,
  flagKey: string,
  context: EvaluationContext,
  callDraw?: number,
): boolean {
  try {
    const flag = ruleset.flags.get(flagKey);
    if (!flag?.on || flag.error) return false;
    if (flag.shadow === undefined) flag.shadow = compileShadow(flag.source, ruleset);
    const shadow = flag.shadow;
    if (shadow === null) return false;
    if (shadow.inCohort !== undefined && !shadow.inCohort(context)) return false;
    if (shadow.perCall) return callDraw !== undefined && callDraw < shadow.sampleRate;
    const value = shadow.read(context);
    if (value === undefined || value === null || value === "") return false;
    return bucketAfter(shadow.prefix, typeof value === "string" ? value : String(value)) < shadow.sampleRate;
  } catch {
    return false;
  }
}
