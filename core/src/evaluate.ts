/**
 * @module The evaluator: compiled ruleset + flag key + context in, decision (value, variant, reason) out.
 * Pure and total: it reads no clock, does no I/O and never throws — every failure is the caller's default
 * with an error code.
 *
 * Order: flag missing → ERROR; wrong kind → ERROR; off → DISABLED (the kill switch wins over everything);
 * a prerequisite not served → DISABLED with `prerequisiteFailed`; individual targets → TARGETING_MATCH;
 * rules in order → TARGETING_MATCH (SPLIT when the rule serves a rollout); fallthrough → STATIC when the
 * flag has no targeting, DEFAULT after targeting did not match, SPLIT for a rollout.
 */
import {
  bucketOf,
  type CompiledFlag,
  type CompiledRuleset,
  type CompiledServe,
  describeThrown,
} from "./compile.js";
import type { Decision, ErrorCode, EvaluationContext, FlagKind, JsonValue } from "./model.js";

function failure<T>(defaultValue: T, errorCode: ErrorCode, errorMessage: string): Decision<T> {
  return { value: defaultValue, reason: "ERROR", errorCode, errorMessage };
}

/** The caller's default with GENERAL: the one answer left when evaluating threw. */
const thrown = <T>(defaultValue: T, e: unknown) => failure(defaultValue, "GENERAL", describeThrown(e));

function kindOf(value: unknown): FlagKind | undefined {
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "number":
      return "number";
    case "object":
      return value === null ? undefined : "json";
    default:
      return undefined;
  }
}

/** Why a flag served the default; a class so the hot path tells it from a decision with `instanceof`. */
class Failure {
  /** Branded, so an object literal of the same shape is not a Failure to the type checker either. */
  declare private readonly brand: never;
  constructor(
    readonly error: ErrorCode,
    readonly message: string,
  ) {}
}
const KEY_MISSING = new Failure("TARGETING_KEY_MISSING", "rollout needs a bucketing attribute");

function serve(s: CompiledServe, context: EvaluationContext): Decision | Failure {
  if (s.fixed) return s.fixed;
  const { read, prefix, bounds, decisions } = s.rollout;
  const bucket = bucketOf(read, prefix, context);
  if (bucket === undefined) return KEY_MISSING;
  for (let i = 0; i < bounds.length; i++) if (bucket < (bounds[i] as number)) return decisions[i] as Decision;
  return decisions[decisions.length - 1] as Decision;
}

/** A prerequisite that is off fails even when its off variation is the one asked for. */
const isOff = (d: Decision) => d.reason === "DISABLED" && d.prerequisiteFailed === undefined;

/** Prerequisites already decided in this evaluation: each flag is decided at most once (diamonds stay linear). */
type Decided = Map<string, Decision | Failure>;

function decidePrerequisite(
  ruleset: CompiledRuleset,
  key: string,
  context: EvaluationContext,
  decided: Decided,
): Decision | Failure | undefined {
  const known = decided.get(key);
  if (known !== undefined) return known;
  const pre = ruleset.flags.get(key);
  if (!pre) return undefined;
  const result = pre.constant ?? decide(ruleset, pre, context, decided);
  decided.set(key, result);
  return result;
}

/**
 * Evaluates one compiled flag. Compilation marked flags on a prerequisite cycle or above a too-deep chain
 * as errors, so the recursion through prerequisites is bounded by the compiler's depth limit.
 */
function decide(
  ruleset: CompiledRuleset,
  flag: CompiledFlag,
  context: EvaluationContext,
  decided?: Decided,
): Decision | Failure {
  if (!flag.on) return flag.off;
  if (flag.error) return new Failure(flag.error.code, flag.error.message);
  const prerequisites = flag.prerequisites;
  if (prerequisites.length !== 0) {
    const memo = decided ?? new Map();
    for (let i = 0; i < prerequisites.length; i++) {
      const p = prerequisites[i] as (typeof prerequisites)[number];
      const result = decidePrerequisite(ruleset, p.flagKey, context, memo);
      if (!result || result instanceof Failure || isOff(result) || result.variant !== p.variation) {
        return { ...flag.off, prerequisiteFailed: p.flagKey };
      }
    }
  }
  const key = context.targetingKey;
  if (flag.targets && typeof key === "string") {
    const hit = flag.targets.get(ruleset.lookupKey(key));
    if (hit) return hit;
  }
  const rules = flag.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as (typeof rules)[number];
    if (rule.matches(context)) return serve(rule.serve, context);
  }
  return serve(flag.fallthrough, context);
}

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

/**
 * Evaluates `flagKey` for `context`. The default's type (or `expectedKind`) is checked against the flag's
 * kind; pass `null` as the default to accept any kind.
 */
export function evaluate<T extends JsonValue>(
  ruleset: CompiledRuleset,
  flagKey: string,
  context: EvaluationContext | undefined,
  defaultValue: T,
  expectedKind?: FlagKind,
): Decision<T> {
  try {
    const flag = ruleset.flags.get(flagKey);
    if (!flag) return failure(defaultValue, "FLAG_NOT_FOUND", `flag ${flagKey} not found`);
    const wanted = expectedKind ?? kindOf(defaultValue);
    if (wanted !== undefined && wanted !== flag.kind) {
      return failure(defaultValue, "TYPE_MISMATCH", `flag ${flagKey} is ${flag.kind}, not ${wanted}`);
    }
    return evaluateFlag(ruleset, flag, context, defaultValue);
  } catch (e) {
    return thrown(defaultValue, e);
  }
}

/**
 * Evaluates a flag already looked up in `ruleset.flags` (no kind check): for callers walking every flag,
 * such as a bulk evaluation. Never throws.
 */
export function evaluateFlag<T extends JsonValue = JsonValue>(
  ruleset: CompiledRuleset,
  flag: CompiledFlag,
  context: EvaluationContext | undefined,
  defaultValue: T = null as T,
): Decision<T> {
  try {
    const ctx = context ?? EMPTY_CONTEXT;
    if (typeof ctx !== "object" || Array.isArray(ctx)) {
      return failure(defaultValue, "INVALID_CONTEXT", "context must be an object");
    }
    if (flag.constant) return flag.constant as Decision<T>;
    const d = decide(ruleset, flag, ctx);
    if (d instanceof Failure) return failure(defaultValue, d.error, d.message);
    return d as Decision<T>;
  } catch (e) {
    return thrown(defaultValue, e);
  }
}

/** Evaluates every flag (or every client-visible one) for one context. */
export function evaluateAll(
  ruleset: CompiledRuleset,
  context: EvaluationContext | undefined,
  options?: { clientVisibleOnly?: boolean },
): Record<string, Decision> {
  const out: Record<string, Decision> = {};
  const visibleOnly = options?.clientVisibleOnly;
  for (const [key, flag] of ruleset.flags) {
    if (visibleOnly && !flag.source.clientVisible) continue;
    out[key] = evaluateFlag(ruleset, flag, context);
  }
  return out;
}
