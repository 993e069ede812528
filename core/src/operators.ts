/**
 * @module Clause operators, compiled once into closures: values parsed, Sets built and regexes checked when
 * the ruleset arrives, so evaluating a clause is a property read and a probe.
 */
import { toTime } from "./dates.js";
import type { Clause, ClauseValue, EvaluationContext } from "./model.js";
import { type SafePattern, safePattern } from "./safe-regexp.js";

export type Matcher = (context: EvaluationContext) => boolean;
/** Tests one attribute value (never an array: arrays are spread by the caller). */
type Test = (value: unknown) => boolean;
/** Membership test for segmentMatch, supplied by the compiler. */
/** The membership test of one segment, resolved when the ruleset is compiled (never-matching if unknown). */
export type SegmentTest = (segmentKey: string) => Matcher;
/**
 * In a browser-safe ruleset, `in`/`notIn` clauses on `targetingKey` hold hashed keys: the context's key is
 * hashed the same way (the compiled ruleset's `lookupKey`) before the test.
 */
export type KeyLookup = (raw: string) => string;

export { safeRegExp, UnsafePatternError } from "./safe-regexp.js";

/** Reads `attribute` from the context; a dotted path reads nested objects. */
export function attributeReader(attribute: string): (context: EvaluationContext) => unknown {
  if (!attribute.includes(".")) return (context) => context[attribute];
  const path = attribute.split(".");
  return (context) => {
    let value: unknown = context;
    for (let i = 0; i < path.length; i++) {
      const part = path[i] as string;
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

type Semver = [number, number, number, (string | number)[]];
const NUMBER = "(0|[1-9]\\d*)";
/** A prerelease identifier: a number without leading zeros, or alphanumerics with at least one non-digit. */
const PRERELEASE_ID = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
/** Semver 2.0, with a `v` prefix and a missing minor or patch (read as 0) tolerated, as people write them. */
const SEMVER = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER})?(?:\\.${NUMBER})?` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/** Longer strings are not versions (and the pattern's work stays small whatever a context holds). */
const MAX_SEMVER = 256;

export function parseSemver(value: unknown): Semver | undefined {
  if (typeof value !== "string" || value.length > MAX_SEMVER) return undefined;
  const m = SEMVER.exec(value.trim());
  if (!m) return undefined;
  const core = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] as const;
  if (!core.every(Number.isSafeInteger)) return undefined;
  const pre = m[4] ? m[4].split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  if (pre.some((id) => typeof id === "number" && !Number.isSafeInteger(id))) return undefined;
  return [...core, pre];
}

/** Semver 2.0 precedence: -1, 0 or 1. A version with a prerelease ranks below the same release. */
export function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  const [pa, pb] = [a[3], b[3]];
  if (pa.length === 0 || pb.length === 0) return pa.length === pb.length ? 0 : pa.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function parsedAll<T>(values: ClauseValue[], parse: (v: unknown) => T | undefined): T[] {
  const out: T[] = [];
  for (const v of values) {
    const parsed = parse(v);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

const strings = (values: ClauseValue[]) => values.filter((v): v is string => typeof v === "string");

/** Remembers the last value parsed: contexts repeat the same app version, date or number across calls. */
function memo<T>(parse: (v: unknown) => T | undefined): (v: unknown) => T | undefined {
  let lastInput: unknown;
  let lastOutput: T | undefined;
  return (v) => {
    if (v !== lastInput) {
      lastInput = v;
      lastOutput = parse(v);
    }
    return lastOutput;
  };
}

function ordered<T>(
  values: ClauseValue[],
  parse: (v: unknown) => T | undefined,
  holds: (a: T, b: T) => boolean,
): Test {
  const bounds = parsedAll(values, parse);
  const parseValue = memo(parse);
  return (value) => {
    const v = parseValue(value);
    if (v === undefined) return false;
    for (let i = 0; i < bounds.length; i++) if (holds(v, bounds[i] as T)) return true;
    return false;
  };
}

/** A string test against any of the clause's strings, without allocating per call. */
function anyString(values: ClauseValue[], test: (value: string, wanted: string) => boolean): Test {
  const wanted = strings(values);
  return (v) => {
    if (typeof v !== "string") return false;
    for (let i = 0; i < wanted.length; i++) if (test(v, wanted[i] as string)) return true;
    return false;
  };
}

function testFor(clause: Clause): Test {
  const { values } = clause;
  switch (clause.op) {
    case "in":
    case "notIn": {
      const set = new Set<unknown>(values);
      return clause.op === "in" ? (v) => set.has(v) : (v) => !set.has(v);
    }
    case "startsWith":
      return anyString(values, (v, w) => v.startsWith(w));
    case "endsWith":
      return anyString(values, (v, w) => v.endsWith(w));
    case "contains":
      return anyString(values, (v, w) => v.includes(w));
    case "matches": {
      const patterns = strings(values).map((p, i) => safePattern(p, clause.maxInput?.[i]));
      return (v) => {
        if (typeof v !== "string") return false;
        for (let i = 0; i < patterns.length; i++) {
          const p = patterns[i] as SafePattern;
          if (v.length <= p.maxInput && p.regexp.test(v)) return true;
        }
        return false;
      };
    }
    case "lt":
      return ordered(values, toNumber, (a, b) => a < b);
    case "lte":
      return ordered(values, toNumber, (a, b) => a <= b);
    case "gt":
      return ordered(values, toNumber, (a, b) => a > b);
    case "gte":
      return ordered(values, toNumber, (a, b) => a >= b);
    case "before":
      return ordered(values, toTime, (a, b) => a < b);
    case "after":
      return ordered(values, toTime, (a, b) => a > b);
    case "semverEq":
      return ordered(values, parseSemver, (a, b) => compareSemver(a, b) === 0);
    case "semverLt":
      return ordered(values, parseSemver, (a, b) => compareSemver(a, b) < 0);
    case "semverGt":
      return ordered(values, parseSemver, (a, b) => compareSemver(a, b) > 0);
    default:
      throw new Error(`unknown operator ${String(clause.op)}`);
  }
}

/**
 * Compiles a clause. A missing attribute never matches, negated or not — except `notIn`, which a context
 * without the attribute satisfies. For an array attribute the clause matches if any element does.
 */
export function compileClause(clause: Clause, segmentTest: SegmentTest, lookupKey?: KeyLookup): Matcher {
  const negate = clause.negate === true;
  if (clause.op === "segmentMatch") {
    const members = strings(clause.values).map(segmentTest);
    if (members.length === 1 && !negate) return members[0] as Matcher;
    return (context) => {
      for (let i = 0; i < members.length; i++) if ((members[i] as Matcher)(context)) return !negate;
      return negate;
    };
  }
  const read =
    lookupKey && clause.attribute === "targetingKey" && (clause.op === "in" || clause.op === "notIn")
      ? (context: EvaluationContext) => {
          const key = context.targetingKey;
          return typeof key === "string" ? lookupKey(key) : key;
        }
      : attributeReader(clause.attribute);
  const test = testFor(clause);
  const whenMissing = clause.op === "notIn" ? !negate : false;
  return (context) => {
    const value = read(context);
    if (value === undefined || value === null) return whenMissing;
    if (Array.isArray(value)) {
      if (clause.op === "notIn") return value.every(test) !== negate;
      return value.some(test) !== negate;
    }
    return test(value) !== negate;
  };
}

/** All clauses AND-ed. */
export function compileClauses(clauses: Clause[], segmentTest: SegmentTest, lookupKey?: KeyLookup): Matcher {
  const matchers = clauses.map((c) => compileClause(c, segmentTest, lookupKey));
  if (matchers.length === 1) return matchers[0] as Matcher;
  return (context) => {
    for (let i = 0; i < matchers.length; i++) if (!(matchers[i] as Matcher)(context)) return false;
    return true;
  };
}
