/**
 * @module Shadow sampling: whether this call runs the candidate code path beside the primary one.
 * Core reads no clock and no randomness: for per-call sampling the SDK passes its own draw.
 */
import { bucketFor } from "./bucket.js";
import type { CompiledRuleset } from "./compile.js";
import type { EvaluationContext } from "./model.js";
import { attributeReader } from "./operators.js";

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
    const rule = flag?.source.shadow;
    if (!flag?.on || flag.error || !rule || rule.sampleRate <= 0) return false;
    if (rule.segment && !ruleset.inSegment(rule.segment, context)) return false;
    if (rule.stickiness === "call") return callDraw !== undefined && callDraw < rule.sampleRate;
    const value = attributeReader(rule.bucketBy ?? "targetingKey")(context);
    if (value === undefined || value === null || value === "") return false;
    return bucketFor(`${flag.source.salt}:shadow`, String(value)) < rule.sampleRate;
  } catch {
    return false;
  }
}
