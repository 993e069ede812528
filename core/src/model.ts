/**
 * @module The ruleset wire format: what the server publishes for one environment and every SDK evaluates.
 *
 * This file is the contract between the server, the Node SDK and the browser SDK. A change that an old SDK
 * could misread bumps {@link RULESET_FORMAT_VERSION}; SDKs refuse a ruleset whose `formatVersion` they do
 * not know and keep the one they have.
 */

/** Bump when the wire format changes in a way older SDKs would misread. */
export const RULESET_FORMAT_VERSION = 1 as const;

/** Bump when the bucketing function changes; buckets must never move silently. */
export const BUCKETING_VERSION = 1 as const;

/** Percentages are expressed in buckets: 100,000 buckets, so 1 bucket = 0.001%. */
export const BUCKET_COUNT = 100_000;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type FlagKind = "boolean" | "string" | "number" | "json";

/** One value a flag can serve. `key` is the variant name reported in decisions (e.g. "on", "treatment"). */
export interface Variation {
  key: string;
  value: JsonValue;
  name?: string;
  description?: string;
}

/** Serve one variation to everyone who reaches this point. */
export interface ServeVariation {
  variation: string;
}

/** Split users between variations by a sticky hash. Weights are in buckets and sum to {@link BUCKET_COUNT}. */
export interface Rollout {
  /** Context attribute hashed for bucketing; default `targetingKey`. */
  bucketBy?: string;
  weights: { variation: string; weight: number }[];
}

export interface ServeRollout {
  rollout: Rollout;
}

export type Serve = ServeVariation | ServeRollout;

export type Operator =
  | "in"
  | "notIn"
  | "startsWith"
  | "endsWith"
  | "contains"
  | "matches"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "before"
  | "after"
  | "semverEq"
  | "semverLt"
  | "semverGt"
  | "segmentMatch";

export type ClauseValue = string | number | boolean;

/**
 * One test on the context. `attribute` names a context attribute (`targetingKey`, `country`, …; a dotted
 * path such as `device.os` reads nested objects). For `segmentMatch`, `values` are segment keys and
 * `attribute` is ignored. When the attribute is an array, the clause matches if any element matches.
 * `negate` inverts the result, with one exception: a missing (absent or null) attribute never matches,
 * negated or not — except `notIn`, which it satisfies (nothing is in the list) unless negated. A value the
 * operator cannot read (a number for `startsWith`, "soon" for `before`) is not a match, so negated it is.
 */
export interface Clause {
  attribute: string;
  op: Operator;
  values: ClauseValue[];
  negate?: boolean;
  /**
   * Browser-safe rulesets only, on `matches`: each string value's input bound as the server's guard computed
   * it (0: refused), so browsers need not ship the guard. Evaluators with the guard recompute it.
   */
  maxInput?: number[];
}

/** Clauses are AND-ed; the first matching rule serves. */
export interface Rule {
  id: string;
  description?: string;
  clauses: Clause[];
  serve: Serve;
}

/** Pilot users by name: targeting keys pinned to a variation. Checked before rules. */
export interface Target {
  variation: string;
  values: string[];
}

/** This flag serves only if `flagKey` serves `variation` for the same context. */
export interface Prerequisite {
  flagKey: string;
  variation: string;
}

/**
 * Shadow traffic (dark launch step 1): for a sampled share of calls, the candidate code path also runs,
 * invisibly. Filled in by the dark-launch work; the evaluator only decides whether a call is shadowed.
 */
export interface ShadowRule {
  /** Share of calls shadowed, in buckets (0..100,000). */
  sampleRate: number;
  /** `user`: the same user is always (or never) sampled; `call`: each call is drawn on its own. */
  stickiness: "user" | "call";
  /** Attribute hashed for user stickiness; default `targetingKey`. */
  bucketBy?: string;
  /** Only contexts in this segment are sampled. */
  segment?: string;
  /** Candidate execution bound, in whole milliseconds (1..60,000). */
  timeoutMs: number;
  /** Variation that means "the new code". Users served it run new as primary and old as shadow. */
  candidateVariation?: string;
  /** When the user is served the candidate, shadow the old code instead (roles swap). */
  swapRoles?: boolean;
}

/** A flag as it is in one environment: its definition plus that environment's state. */
export interface Flag {
  key: string;
  kind: FlagKind;
  variations: Variation[];
  /** Per-environment version of this flag; bumps on every change. */
  version: number;
  /** Salt mixed into bucketing so two flags at 20% do not pick the same 20% of users. */
  salt: string;
  clientVisible?: boolean;
  /** Kill switch: off serves `offVariation`, whatever else is configured. */
  on: boolean;
  offVariation: string;
  prerequisites?: Prerequisite[];
  targets?: Target[];
  rules?: Rule[];
  fallthrough: Serve;
  shadow?: ShadowRule | null;
}

/** Segment rules: a context is in the segment if any rule matches (clauses within a rule are AND-ed). */
export interface SegmentRule {
  id?: string;
  clauses: Clause[];
}

/**
 * A pilot-user cohort. Evaluation order: excluded keys (not a member), included keys (member), rules.
 * In a browser-safe ruleset `included`/`excluded` hold hashed keys (see {@link KeyHashing}).
 */
export interface Segment {
  key: string;
  version: number;
  included?: string[];
  excluded?: string[];
  rules?: SegmentRule[];
}

/**
 * Present in browser-safe rulesets only: target values and segment included/excluded keys are not raw
 * user keys but `hashKey(salt, key)` (see `hashKey` in core), so a page never learns who the pilot users are.
 */
export interface KeyHashing {
  algorithm: "murmur3x2-64";
  salt: string;
}

/** Everything an SDK needs to evaluate every flag of one environment. */
export interface Ruleset {
  formatVersion: typeof RULESET_FORMAT_VERSION;
  environment: string;
  /** Environment ruleset version: strictly increases with every committed change. */
  version: number;
  flags: Flag[];
  segments: Segment[];
  keyHashing?: KeyHashing;
}

/** The change between two ruleset versions: only what changed. Applies to a ruleset at `fromVersion`. */
export interface RulesetDelta {
  formatVersion: typeof RULESET_FORMAT_VERSION;
  environment: string;
  fromVersion: number;
  version: number;
  flags?: { upsert?: Flag[]; remove?: string[] };
  segments?: { upsert?: Segment[]; remove?: string[] };
}

/** OpenFeature-shaped evaluation context: a targeting key plus arbitrary attributes. */
export interface EvaluationContext {
  targetingKey?: string;
  [attribute: string]: unknown;
}

/** Aligned with OpenFeature's reasons. */
export type Reason = "DISABLED" | "TARGETING_MATCH" | "SPLIT" | "DEFAULT" | "STATIC" | "ERROR";

/** Aligned with OpenFeature's error codes. */
export type ErrorCode =
  | "FLAG_NOT_FOUND"
  | "TYPE_MISMATCH"
  | "TARGETING_KEY_MISSING"
  | "PARSE_ERROR"
  | "INVALID_CONTEXT"
  | "PROVIDER_NOT_READY"
  | "GENERAL";

/** What the evaluator answers: the value, which variant it is, and why. */
export interface Decision<T = JsonValue> {
  value: T;
  variant?: string;
  reason: Reason;
  /** Id of the rule that matched, for TARGETING_MATCH from a rule. */
  ruleId?: string;
  /** Position of that rule (0-based), for "matched rule 2" in the UI. */
  ruleIndex?: number;
  /** Set when the decision came from individual targets. */
  targetMatch?: boolean;
  /** Set when a prerequisite was not met: the flag served its off variation (reason DISABLED). */
  prerequisiteFailed?: string;
  /** Set when reason is ERROR: the caller's default was served. */
  errorCode?: ErrorCode;
  errorMessage?: string;
}
