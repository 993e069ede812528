/**
 * @module The browser-safe ruleset held in local mode: compiled (by core) before it replaces the last good
 * one, then evaluated for the current context. It comes from our server, which validated it with the full
 * schema, so the browser skips core's structural validator (the bundle's heaviest part) and relies on
 * compilation failing — never evaluation — for anything malformed.
 */
import {
  applyDelta,
  type CompiledRuleset,
  compileTrustedRuleset,
  type EvaluationContext,
  evaluateAll,
  type Ruleset,
  type RulesetDelta,
} from "@switchyard/core";
import type { DecisionMap } from "./decisions.js";

export interface Rules {
  readonly current: Ruleset | undefined;
  /**
   * Offers a ruleset: `true` when it replaced the rules, `false` when it is the version already held,
   * `undefined` when it is invalid (the last good rules stay).
   */
  put(data: unknown): boolean | undefined;
  /** Applies a delta to the rules held; false when it does not fit (another base version) or is invalid. */
  patch(data: unknown): boolean;
  evaluate(context: EvaluationContext): DecisionMap;
}

/** Cheap shape check for cached entries; `put` does the real validation. */
export const looksLikeRuleset = (data: unknown): data is Ruleset =>
  typeof (data as Ruleset)?.version === "number" && Array.isArray((data as Ruleset).flags);

export function createRules(): Rules {
  let current: Ruleset | undefined;
  let compiled: CompiledRuleset | undefined;

  const put = (data: unknown): boolean | undefined => {
    const r = data as Ruleset;
    if (current && r?.version === current.version && r.environment === current.environment) return false;
    const result = compileTrustedRuleset(data);
    if (!result.ok) return undefined;
    compiled = result.ruleset;
    current = r;
    return true;
  };

  return {
    get current() {
      return current;
    },
    put,
    patch(data) {
      const next = current && applyDelta(current, data as RulesetDelta);
      return !!next && put(next) === true;
    },
    evaluate: (context) => (compiled ? evaluateAll(compiled, context) : {}),
  };
}
