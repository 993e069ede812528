/**
 * @module The live preview's evaluation: the edited (unsaved) state of one flag, with the segments it uses
 * and the environment's real setup of the flags its prerequisites name, compiled and evaluated by core
 * exactly as SDKs would — same salt, same bucketing.
 */
import {
  compileRuleset,
  type Decision,
  type EvaluationContext,
  evaluate,
  type Flag,
  type Ruleset,
  type Segment,
} from "@switchyard/core";
import type { FlagDefinition, StateFields } from "../api/types.js";

export function segmentKeysUsed(state: Pick<StateFields, "rules">): string[] {
  const keys = new Set<string>();
  for (const rule of state.rules)
    for (const clause of rule.clauses)
      if (clause.op === "segmentMatch") for (const v of clause.values) keys.add(String(v));
  return [...keys];
}

export function previewDecision(
  flag: FlagDefinition,
  state: StateFields,
  segments: Segment[],
  context: EvaluationContext,
  /** The other flags of the environment its prerequisites lead to. */
  prerequisiteFlags: Flag[] = [],
): Decision | { error: string } {
  const ruleset: Ruleset = {
    formatVersion: 1,
    environment: "preview",
    version: 1,
    flags: [
      {
        key: flag.key,
        kind: flag.kind,
        variations: flag.variations,
        version: 1,
        salt: flag.salt ?? flag.key,
        clientVisible: flag.clientVisible,
        on: state.on,
        offVariation: state.offVariation,
        targets: state.targets,
        rules: state.rules,
        fallthrough: state.fallthrough,
        prerequisites: state.prerequisites,
        shadow: state.shadow,
      },
      ...prerequisiteFlags.filter((f) => f.key !== flag.key),
    ],
    segments,
  };
  const compiled = compileRuleset(ruleset);
  if (!compiled.ok) return { error: compiled.errors.join("; ") };
  return evaluate(compiled.ruleset, flag.key, context, null);
}

/** The context typed in the preview box: a JSON object, or just a key. */
export function parseContext(text: string): EvaluationContext | { error: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return { targetingKey: trimmed };
  try {
    const value = JSON.parse(trimmed);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { error: "a JSON object" };
    return value as EvaluationContext;
  } catch (e) {
    return { error: e instanceof Error ? e.message : "not JSON" };
  }
}
