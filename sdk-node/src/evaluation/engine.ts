/**
 * @module The one place the SDK calls the shared evaluator (`@switchyard/core`): validate and compile, apply
 * a delta, evaluate. Everything else in the SDK works with these functions.
 */
import {
  applyDelta,
  type CompiledRuleset,
  compileRuleset,
  compileTrustedRuleset,
  type Ruleset,
  type RulesetDelta,
} from "@switchyard/core";

export { evaluate as evaluateFlag } from "@switchyard/core";
export type { CompiledRuleset };

export class InvalidRulesetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidRulesetError";
  }
}

export interface LoadedRuleset {
  ruleset: Ruleset;
  compiled: CompiledRuleset;
}

/**
 * Validates and compiles a ruleset from the wire; throws {@link InvalidRulesetError} when it is unusable.
 * `trusted`: the ruleset passed validation before (our own intact cache file) — compiled without it.
 */
export function loadRuleset(input: unknown, trusted = false): LoadedRuleset {
  const result = trusted ? compileTrustedRuleset(input) : compileRuleset(input);
  if (!result.ok) {
    const more = result.errors.length > 5 ? ` (and ${result.errors.length - 5} more)` : "";
    throw new InvalidRulesetError(`invalid ruleset: ${result.errors.slice(0, 5).join("; ")}${more}`);
  }
  return { ruleset: result.ruleset.source, compiled: result.ruleset };
}

/**
 * Applies a delta to the ruleset held and compiles the result. Returns undefined when the delta does not
 * apply to it (the caller refetches); throws {@link InvalidRulesetError} when the result is unusable.
 */
export function patchRuleset(current: Ruleset, delta: RulesetDelta): LoadedRuleset | undefined {
  const next = applyDelta(current, delta);
  return next === undefined ? undefined : loadRuleset(next);
}
