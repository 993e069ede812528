/**
 * @module Structural validation of the ruleset wire format, without dependencies. SDKs run it before a
 * ruleset may replace the one they hold, so a bad payload never replaces good rules. It ships in the
 * browser bundle, so it is written to be small: it stops at the first problem and names where it is.
 * (The server validates what people write with the detailed zod schemas in `@switchyard/core/schema`.)
 */
import { toTime } from "./dates.js";
import { BUCKET_COUNT, RULESET_FORMAT_VERSION, type Ruleset } from "./model.js";
import { parseSemver, toNumber } from "./operators.js";
import { MAX_INPUT } from "./regexp-guard.js";

export type ValidationResult = { ok: true; ruleset: Ruleset } | { ok: false; errors: string[] };

type ValueCheck = [test: (v: unknown) => boolean, expected: string];
const text: ValueCheck = [(v) => typeof v === "string", "must be a string"];
const number: ValueCheck = [(v) => toNumber(v) !== undefined, "must be a number"];
const date: ValueCheck = [(v) => toTime(v) !== undefined, "must be epoch milliseconds or an ISO 8601 date"];
const semver: ValueCheck = [(v) => parseSemver(v) !== undefined, "must be a semantic version"];
const scalar: ValueCheck = [
  (v) => ["string", "number", "boolean"].includes(typeof v),
  "must be a string, number or boolean",
];
/** What each operator's clause values must be: the evaluator would silently drop anything else. */
const OPERATORS = new Map<string, ValueCheck>([
  ["in", scalar],
  ["notIn", scalar],
  ["startsWith", text],
  ["endsWith", text],
  ["contains", text],
  ["matches", text],
  ["lt", number],
  ["lte", number],
  ["gt", number],
  ["gte", number],
  ["before", date],
  ["after", date],
  ["semverEq", semver],
  ["semverLt", semver],
  ["semverGt", semver],
  ["segmentMatch", text],
]);
/** What each kind's variation values must be. */
const KINDS = new Map<string, (v: unknown) => boolean>([
  ["boolean", (v) => typeof v === "boolean"],
  ["string", (v) => typeof v === "string"],
  ["number", (v) => typeof v === "number" && Number.isFinite(v)],
  ["json", (v) => v !== undefined],
]);
/** Longest candidate bound a shadow rule may ask for: a shadow run must not hold work for minutes. */
export const MAX_SHADOW_TIMEOUT_MS = 60_000;

class Invalid extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: validation walks untyped input
type Any = any;

function need(ok: unknown, path: string, message: string): void {
  if (!ok) throw new Invalid(`${path}: ${message}`);
}
const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown) => typeof v === "string";
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isOptional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);

/** An optional array field: absent, null or an array. */
function list(v: unknown, path: string): Any[] {
  need(v == null || Array.isArray(v), path, "must be an array");
  return (v ?? []) as Any[];
}

function checkServe(serve: Any, variations: Set<string>, path: string): void {
  need(isObject(serve), path, "must be { variation } or { rollout }");
  if ("variation" in serve) {
    need(variations.has(serve.variation), `${path}.variation`, "unknown variation");
    return;
  }
  const rollout = serve.rollout;
  need(isObject(rollout) && Array.isArray(rollout.weights), path, "must be { variation } or { rollout }");
  need(
    rollout.bucketBy === undefined || isString(rollout.bucketBy),
    `${path}.rollout.bucketBy`,
    "must be a string",
  );
  let total = 0;
  rollout.weights.forEach((w: Any, i: number) => {
    need(
      isObject(w) && variations.has(w.variation) && isCount(w.weight),
      `${path}.rollout.weights[${i}]`,
      "needs a known variation and a whole weight",
    );
    total += w.weight;
  });
  need(total === BUCKET_COUNT, `${path}.rollout.weights`, `must sum to ${BUCKET_COUNT}, got ${total}`);
}

function checkClauses(clauses: Any, path: string): void {
  need(Array.isArray(clauses), path, "must be an array");
  clauses.forEach((c: Any, i: number) => {
    need(
      isObject(c) && isString(c.attribute) && Array.isArray(c.values),
      `${path}[${i}]`,
      "needs an attribute and values",
    );
    const check = OPERATORS.get(c.op);
    need(check, `${path}[${i}].op`, `unknown operator ${String(c.op)}`);
    const [valid, expected] = check as ValueCheck;
    c.values.forEach((v: unknown, j: number) => {
      need(valid(v), `${path}[${i}].values[${j}]`, `${expected} for ${c.op}`);
    });
    list(c.maxInput, `${path}[${i}].maxInput`).forEach((bound, j) => {
      need(
        isCount(bound) && bound <= MAX_INPUT,
        `${path}[${i}].maxInput[${j}]`,
        `must be a whole number 0..${MAX_INPUT}`,
      );
    });
  });
}

function checkShadow(shadow: Any, variations: Set<string>, path: string): void {
  need(isObject(shadow), path, "must be an object");
  need(
    isCount(shadow.sampleRate) && shadow.sampleRate <= BUCKET_COUNT,
    `${path}.sampleRate`,
    `must be a whole number 0..${BUCKET_COUNT}`,
  );
  need(
    shadow.stickiness === "user" || shadow.stickiness === "call",
    `${path}.stickiness`,
    "must be user or call",
  );
  need(
    isCount(shadow.timeoutMs) && shadow.timeoutMs > 0 && shadow.timeoutMs <= MAX_SHADOW_TIMEOUT_MS,
    `${path}.timeoutMs`,
    `must be a whole number of milliseconds 1..${MAX_SHADOW_TIMEOUT_MS}`,
  );
  need(isOptional(shadow.bucketBy, isString), `${path}.bucketBy`, "must be a string");
  need(isOptional(shadow.segment, isString), `${path}.segment`, "must be a string");
  need(
    isOptional(shadow.candidateVariation, (v) => variations.has(v as string)),
    `${path}.candidateVariation`,
    "unknown variation",
  );
  need(
    isOptional(shadow.swapRoles, (v) => typeof v === "boolean"),
    `${path}.swapRoles`,
    "must be a boolean",
  );
}

function checkFlag(flag: Any, path: string): void {
  need(isObject(flag), path, "must be an object");
  need(isString(flag.key) && flag.key !== "", `${path}.key`, "must be a non-empty string");
  const valueOfKind = KINDS.get(flag.kind);
  need(valueOfKind, `${path}.kind`, "must be boolean, string, number or json");
  need(
    Array.isArray(flag.variations) && flag.variations.length > 0,
    `${path}.variations`,
    "must be a non-empty array",
  );
  const variations = new Set<string>();
  flag.variations.forEach((v: Any, i: number) => {
    need(isObject(v) && isString(v.key), `${path}.variations[${i}].key`, "must be a string");
    need(!variations.has(v.key), `${path}.variations[${i}].key`, `duplicate variation ${v.key}`);
    need(valueOfKind?.(v.value), `${path}.variations[${i}].value`, `must be a ${flag.kind} value`);
    variations.add(v.key);
  });
  need(isCount(flag.version), `${path}.version`, "must be a whole, non-negative number");
  need(typeof flag.on === "boolean", `${path}.on`, "must be a boolean");
  need(isString(flag.salt), `${path}.salt`, "must be a string");
  need(variations.has(flag.offVariation), `${path}.offVariation`, "unknown variation");
  checkServe(flag.fallthrough, variations, `${path}.fallthrough`);
  list(flag.targets, `${path}.targets`).forEach((t, i) => {
    need(
      isObject(t) && variations.has(t.variation) && Array.isArray(t.values),
      `${path}.targets[${i}]`,
      "needs a known variation and values",
    );
  });
  list(flag.rules, `${path}.rules`).forEach((r, i) => {
    need(isObject(r), `${path}.rules[${i}]`, "must be an object");
    checkClauses(r.clauses, `${path}.rules[${i}].clauses`);
    checkServe(r.serve, variations, `${path}.rules[${i}].serve`);
  });
  list(flag.prerequisites, `${path}.prerequisites`).forEach((q, i) => {
    need(
      isObject(q) && isString(q.flagKey) && isString(q.variation),
      `${path}.prerequisites[${i}]`,
      "needs flagKey and variation",
    );
  });
  if (flag.shadow != null) checkShadow(flag.shadow, variations, `${path}.shadow`);
}

/** A prerequisite must ask for a variation its flag has (when that flag is in the ruleset). */
function checkPrerequisiteVariations(flags: Any[]): void {
  const byKey = new Map(flags.map((f) => [f.key, f]));
  flags.forEach((f, i) => {
    list(f.prerequisites, "").forEach((q, j) => {
      const pre = byKey.get(q.flagKey);
      need(
        !pre || pre.variations.some((v: Any) => v.key === q.variation),
        `flags[${i}].prerequisites[${j}].variation`,
        `${q.flagKey} has no variation ${q.variation}`,
      );
    });
  });
}

function checkRuleset(input: Any): void {
  need(isObject(input), "ruleset", "must be an object");
  need(
    input.formatVersion === RULESET_FORMAT_VERSION,
    "formatVersion",
    `expected ${RULESET_FORMAT_VERSION}, got ${String(input.formatVersion)}`,
  );
  need(isString(input.environment), "environment", "must be a string");
  need(isCount(input.version), "version", "must be a whole, non-negative number");
  need(Array.isArray(input.flags), "flags", "must be an array");
  need(Array.isArray(input.segments), "segments", "must be an array");
  const seen = new Set<string>();
  input.flags.forEach((f: Any, i: number) => {
    checkFlag(f, `flags[${i}]`);
    need(!seen.has(f.key), `flags[${i}].key`, `duplicate flag ${f.key}`);
    seen.add(f.key);
  });
  checkPrerequisiteVariations(input.flags);
  const segmentKeys = new Set<string>();
  input.segments.forEach((s: Any, i: number) => {
    const path = `segments[${i}]`;
    need(isObject(s) && isString(s.key), path, "needs a string key");
    need(!segmentKeys.has(s.key), `${path}.key`, `duplicate segment ${s.key}`);
    segmentKeys.add(s.key);
    list(s.included, `${path}.included`);
    list(s.excluded, `${path}.excluded`);
    list(s.rules, `${path}.rules`).forEach((r, j) => {
      need(isObject(r), `${path}.rules[${j}]`, "must be an object");
      checkClauses(r.clauses, `${path}.rules[${j}].clauses`);
    });
  });
  const hashing = input.keyHashing;
  if (hashing !== undefined) {
    need(
      isObject(hashing) && hashing.algorithm === "murmur3x2-64" && isString(hashing.salt),
      "keyHashing",
      "unsupported key hashing",
    );
  }
}

/** Checks that `input` is a ruleset this version understands, in full; the first problem is reported. */
export function validateRuleset(input: unknown): ValidationResult {
  try {
    checkRuleset(input);
    return { ok: true, ruleset: input as Ruleset };
  } catch (e) {
    return { ok: false, errors: [e instanceof Invalid ? e.message : `ruleset: ${String(e)}`] };
  }
}
