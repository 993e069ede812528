/**
 * @module Structural validation of the ruleset wire format, without dependencies. SDKs run it before a
 * ruleset may replace the one they hold, so a bad payload never replaces good rules. It ships in the
 * browser bundle, so it is written to be small: it stops at the first problem and names where it is.
 * (The server validates what people write with the detailed zod schemas in `@switchyard/core/schema`.)
 */
import { BUCKET_COUNT, RULESET_FORMAT_VERSION, type Ruleset } from "./model.js";

export type ValidationResult = { ok: true; ruleset: Ruleset } | { ok: false; errors: string[] };

const OPERATORS = new Set(
  "in notIn startsWith endsWith contains matches lt lte gt gte before after semverEq semverLt semverGt segmentMatch".split(
    " ",
  ),
);
const KINDS = new Set(["boolean", "string", "number", "json"]);

class Invalid extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: validation walks untyped input
type Any = any;

function need(ok: unknown, path: string, message: string): void {
  if (!ok) throw new Invalid(`${path}: ${message}`);
}
const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown) => typeof v === "string";
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

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
    need(OPERATORS.has(c.op), `${path}[${i}].op`, `unknown operator ${String(c.op)}`);
  });
}

function checkFlag(flag: Any, path: string): void {
  need(isObject(flag), path, "must be an object");
  need(isString(flag.key) && flag.key !== "", `${path}.key`, "must be a non-empty string");
  need(KINDS.has(flag.kind), `${path}.kind`, "must be boolean, string, number or json");
  need(
    Array.isArray(flag.variations) && flag.variations.length > 0,
    `${path}.variations`,
    "must be a non-empty array",
  );
  const variations = new Set<string>();
  for (const v of flag.variations) {
    need(isObject(v) && isString(v.key), `${path}.variations`, "each needs a string key");
    variations.add(v.key);
  }
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
  const shadow = flag.shadow;
  if (shadow != null) {
    need(
      isObject(shadow) && isCount(shadow.sampleRate) && shadow.sampleRate <= BUCKET_COUNT,
      `${path}.shadow.sampleRate`,
      `must be 0..${BUCKET_COUNT}`,
    );
  }
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
  input.segments.forEach((s: Any, i: number) => {
    const path = `segments[${i}]`;
    need(isObject(s) && isString(s.key), path, "needs a string key");
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
