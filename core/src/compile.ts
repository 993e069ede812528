/**
 * @module Compile once, evaluate many: a validated ruleset becomes lookup structures — a Map of flags,
 * Sets of pilot-user keys, clauses as closures, and frozen decisions for every constant answer, so the hot
 * path allocates nothing.
 */
import { bucketAfter, type HashPrefix, hashKey, hashPrefix } from "./bucket.js";
import { graphShape } from "./graph.js";
import type {
  Decision,
  ErrorCode,
  EvaluationContext,
  Flag,
  FlagKind,
  JsonValue,
  Reason,
  Ruleset,
  Segment,
  Serve,
} from "./model.js";
import { RULESET_FORMAT_VERSION } from "./model.js";
import {
  attributeReader,
  compileClauses,
  type KeyLookup,
  type Matcher,
  type SegmentTest,
  UnsafePatternError,
} from "./operators.js";
import type { CompiledShadow } from "./shadow.js";
import { validateRuleset } from "./validate.js";

/** How a rule or the fallthrough serves: one frozen decision, or a sticky split between several. */
export type CompiledServe =
  | { fixed: Decision; rollout?: undefined }
  | {
      fixed?: undefined;
      rollout: {
        read: (context: EvaluationContext) => unknown;
        /** The flag's salt and ".", hashed once. */
        prefix: HashPrefix;
        /** Cumulative bucket bounds, one per decision. */
        bounds: number[];
        decisions: Decision[];
      };
    };

export interface CompiledRule {
  matches: Matcher;
  serve: CompiledServe;
}

export interface CompiledFlag {
  key: string;
  kind: FlagKind;
  source: Flag;
  on: boolean;
  off: Decision;
  prerequisites: { flagKey: string; variation: string }[];
  /** Targeting key (hashed in browser rulesets) → frozen decision. */
  targets: Map<string, Decision> | undefined;
  rules: CompiledRule[];
  fallthrough: CompiledServe;
  /** Set when the flag cannot be evaluated (unsafe pattern, prerequisite cycle): served as the default. */
  error?: { code: ErrorCode; message: string };
  /** The answer whatever the context, when there is one: the flag is off, or on with nothing to decide. */
  constant?: Decision;
  /**
   * The shadow rule, compiled by `shouldShadow` on the flag's first sampling decision (null: it never
   * samples) — so a bundle that never shadows, the browser's, carries none of it.
   */
  shadow?: CompiledShadow | null;
}

interface CompiledSegment {
  included: Set<string>;
  excluded: Set<string>;
  rules: Matcher[];
}

export interface CompiledRuleset {
  readonly environment: string;
  readonly version: number;
  readonly source: Ruleset;
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  has(key: string): boolean;
  /** The key to look up in target and segment key lists (hashed when the ruleset is browser-safe). */
  lookupKey(raw: string): string;
  /** Whether the context is a member of the segment (pilot-user cohort). */
  inSegment(segmentKey: string, context: EvaluationContext): boolean;
}

export type CompileResult = { ok: true; ruleset: CompiledRuleset } | { ok: false; errors: string[] };

const freeze = <T extends object>(o: T): T => Object.freeze(o);

/** What was thrown, as text, without throwing again (a trapping Proxy, a throwing getter or toString). */
export function describeThrown(e: unknown): string {
  try {
    return String(e instanceof Error ? e.message : e);
  } catch {
    return "unprintable error";
  }
}

function decision(flag: Flag, variation: string, reason: Reason, extra?: Partial<Decision>): Decision {
  const found = flag.variations.find((v) => v.key === variation);
  return freeze({ value: (found?.value ?? null) as JsonValue, variant: variation, reason, ...extra });
}

function compileServe(flag: Flag, serve: Serve, reason: Reason, extra?: Partial<Decision>): CompiledServe {
  if ("variation" in serve) return { fixed: decision(flag, serve.variation, reason, extra) };
  const weights = serve.rollout.weights.filter((w) => w.weight > 0);
  let total = 0;
  const bounds = weights.map((w) => (total += w.weight));
  const decisions = weights.map((w) => decision(flag, w.variation, "SPLIT", extra));
  return {
    rollout: {
      read: attributeReader(serve.rollout.bucketBy ?? "targetingKey"),
      prefix: hashPrefix(`${flag.salt}.`),
      bounds,
      decisions,
    },
  };
}

/** Prerequisite chains and segment nesting deeper than this are configuration errors, not followed. */
export const MAX_DEPTH = 32;

/** Flags on a prerequisite cycle or above a too-deep chain, with why: evaluating them would not end well. */
function brokenPrerequisites(flags: Flag[]): Map<string, string> {
  const edges = new Map(
    flags.map((f) => [f.key, (Array.isArray(f.prerequisites) ? f.prerequisites : []).map((p) => p?.flagKey)]),
  );
  const { inCycle, depth } = graphShape(edges);
  const broken = new Map<string, string>();
  for (const [key, d] of depth)
    if (d > MAX_DEPTH) broken.set(key, `prerequisite chain deeper than ${MAX_DEPTH}`);
  for (const key of inCycle) broken.set(key, `prerequisite cycle through ${key}`);
  return broken;
}

/** Segments whose rules would recurse without end (a `segmentMatch` cycle) or too deep. */
function brokenSegments(segments: Segment[]): Set<string> {
  // Read defensively: on the trusted path a malformed rule must cost only its own segment (see below).
  const references = (s: Segment) =>
    (Array.isArray(s.rules) ? s.rules : []).flatMap((r) =>
      (Array.isArray(r?.clauses) ? r.clauses : []).flatMap((c) =>
        c?.op === "segmentMatch" && Array.isArray(c.values) ? c.values.map(String) : [],
      ),
    );
  const edges = new Map(segments.map((s) => [s.key, references(s)]));
  const { inCycle, depth } = graphShape(edges);
  for (const [key, d] of depth) if (d > MAX_DEPTH) inCycle.add(key);
  return inCycle;
}

function compileFlag(flag: Flag, segmentTest: SegmentTest, lookupKey?: KeyLookup): CompiledFlag {
  // STATIC only when nothing about the context can change the answer: prerequisites can.
  const hasTargeting = !!(flag.targets?.length || flag.rules?.length || flag.prerequisites?.length);
  const compiled: CompiledFlag = {
    key: flag.key,
    kind: flag.kind,
    source: flag,
    on: flag.on,
    off: decision(flag, flag.offVariation, "DISABLED"),
    prerequisites: flag.prerequisites ?? [],
    targets: undefined,
    rules: [],
    fallthrough: compileServe(flag, flag.fallthrough, hasTargeting ? "DEFAULT" : "STATIC"),
    shadow: undefined, // present from the start, so compiling it later keeps every flag's shape alike
  };
  if (flag.targets?.length) {
    compiled.targets = new Map();
    for (const t of flag.targets) {
      const d = decision(flag, t.variation, "TARGETING_MATCH", { targetMatch: true });
      for (const key of t.values) if (!compiled.targets.has(key)) compiled.targets.set(key, d);
    }
  }
  try {
    compiled.rules = (flag.rules ?? []).map((rule, index) => ({
      matches: compileClauses(rule.clauses, segmentTest, lookupKey),
      serve: compileServe(flag, rule.serve, "TARGETING_MATCH", { ruleId: rule.id, ruleIndex: index }),
    }));
  } catch (e) {
    compiled.error = {
      code: e instanceof UnsafePatternError ? "PARSE_ERROR" : "GENERAL",
      message: describeThrown(e),
    };
  }
  return compiled;
}

const identity = (k: string) => k;

function constantAnswer(f: CompiledFlag): Decision | undefined {
  if (!f.on) return f.off; // the kill switch wins, even over a flag that failed to compile
  if (f.error) return undefined;
  const nothingToDecide = !f.prerequisites.length && !f.targets && !f.rules.length;
  return nothingToDecide ? f.fallthrough.fixed : undefined;
}

/** A segment's key lists; its rules are compiled once every segment exists (rules may name other segments). */
function segmentKeys(segment: Segment): CompiledSegment {
  return { included: new Set(segment.included ?? []), excluded: new Set(segment.excluded ?? []), rules: [] };
}

/** The bucket a context falls in for a rollout; undefined if the bucketing attribute is missing. */
export function bucketOf(
  read: (c: EvaluationContext) => unknown,
  prefix: HashPrefix,
  context: EvaluationContext,
): number | undefined {
  const value = read(context);
  if (value === undefined || value === null || value === "") return undefined;
  return bucketAfter(prefix, typeof value === "string" ? value : String(value));
}

/** Validates and compiles a wire-format ruleset. Never throws. */
export function compileRuleset(input: unknown): CompileResult {
  const valid = validateRuleset(input);
  if (!valid.ok) return valid;
  try {
    return { ok: true, ruleset: build(valid.ruleset) };
  } catch (e) {
    return { ok: false, errors: [`compile: ${describeThrown(e)}`] };
  }
}

/**
 * Compiles a ruleset our own server produced, having validated it with the full schema (the browser's path,
 * where the structural validator is the heaviest part of the bundle). Only the format is checked here;
 * anything malformed that slips through makes compilation fail — never evaluation — so bad payloads still
 * never replace good rules. Never throws.
 */
export function compileTrustedRuleset(input: unknown): CompileResult {
  const r = input as Ruleset;
  if (r?.formatVersion !== RULESET_FORMAT_VERSION || !Array.isArray(r.flags) || !Array.isArray(r.segments)) {
    return { ok: false, errors: [`not a format ${RULESET_FORMAT_VERSION} ruleset`] };
  }
  try {
    return { ok: true, ruleset: build(r) };
  } catch (e) {
    return { ok: false, errors: [`compile: ${describeThrown(e)}`] };
  }
}

function build(ruleset: Ruleset): CompiledRuleset {
  const hashing = ruleset.keyHashing;
  let lastRaw: string | undefined;
  let lastHashed = "";
  const lookupKey = hashing
    ? (raw: string) => {
        if (raw !== lastRaw) {
          lastRaw = raw;
          lastHashed = hashKey(hashing.salt, raw);
        }
        return lastHashed;
      }
    : identity;

  const clauseKeys = hashing ? lookupKey : undefined;
  const segments = new Map<string, CompiledSegment>();
  const member = (segment: CompiledSegment, context: EvaluationContext): boolean => {
    const raw = context.targetingKey;
    if (typeof raw === "string" && raw !== "") {
      const k = lookupKey(raw);
      if (segment.excluded.size !== 0 && segment.excluded.has(k)) return false;
      if (segment.included.has(k)) return true;
    }
    const rules = segment.rules;
    for (let i = 0; i < rules.length; i++) if ((rules[i] as Matcher)(context)) return true;
    return false;
  };
  const inSegment = (key: string, context: EvaluationContext): boolean => {
    const segment = segments.get(key);
    return segment ? member(segment, context) : false;
  };
  const never: Matcher = () => false;
  const segmentTest: SegmentTest = (key) => {
    const segment = segments.get(key);
    return segment ? (context) => member(segment, context) : never;
  };
  for (const s of ruleset.segments) segments.set(s.key, segmentKeys(s));
  const recursive = brokenSegments(ruleset.segments);
  for (const s of ruleset.segments) {
    const compiled = segments.get(s.key) as CompiledSegment;
    if (recursive.has(s.key)) continue; // matches by its key lists only, like a rule that cannot compile
    try {
      compiled.rules = (s.rules ?? []).map((r) => compileClauses(r.clauses, segmentTest, clauseKeys));
    } catch {
      // A segment whose rules cannot compile matches by its key lists only.
      compiled.rules = [];
    }
  }

  const flags = new Map<string, CompiledFlag>();
  for (const f of ruleset.flags) flags.set(f.key, compileFlag(f, segmentTest, clauseKeys));
  for (const [key, message] of brokenPrerequisites(ruleset.flags)) {
    const f = flags.get(key);
    if (f) f.error = { code: "GENERAL", message };
  }
  for (const f of flags.values()) f.constant = constantAnswer(f);

  return {
    environment: ruleset.environment,
    version: ruleset.version,
    source: ruleset,
    flags,
    has: (key) => flags.has(key),
    lookupKey,
    inSegment,
  };
}
