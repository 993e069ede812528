/**
 * @module Human-readable differences between two setups of a flag, as a reviewer reads them:
 * "rule 2 added: country in DE, FR → on", "fallthrough rollout on 20% → 50%", "shadow sample 5% added".
 */
import { BUCKET_COUNT, type Clause, type Rule, type Serve, type ShadowRule } from "@switchyard/core";
import type { StateFields } from "../flags/validate-state.js";
import { canonicalJson } from "./setup.js";

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** Buckets as a percentage: 20000 → "20%", 12345 → "12.345%". */
export function percent(buckets: number): string {
  return `${Number(((buckets / BUCKET_COUNT) * 100).toFixed(3))}%`;
}

const OPERATOR_WORDS: Record<Clause["op"], string> = {
  in: "in",
  notIn: "not in",
  startsWith: "starts with",
  endsWith: "ends with",
  contains: "contains",
  matches: "matches",
  lt: "<",
  lte: "≤",
  gt: ">",
  gte: "≥",
  before: "before",
  after: "after",
  semverEq: "= version",
  semverLt: "< version",
  semverGt: "> version",
  segmentMatch: "in segment",
};

export function describeClause(clause: Clause): string {
  const values = clause.values.map(String).join(", ");
  const subject = clause.op === "segmentMatch" ? "user" : clause.attribute;
  return `${clause.negate ? "not " : ""}${subject} ${OPERATOR_WORDS[clause.op]} ${values}`;
}

export function describeServe(serve: Serve): string {
  if ("variation" in serve) return serve.variation;
  const split = serve.rollout.weights.map((w) => `${w.variation} ${percent(w.weight)}`).join(" / ");
  return `rollout ${split}${serve.rollout.bucketBy ? ` by ${serve.rollout.bucketBy}` : ""}`;
}

export function describeRule(rule: Rule): string {
  const when = rule.clauses.length ? rule.clauses.map(describeClause).join(" and ") : "everyone";
  return `${when} → ${describeServe(rule.serve)}`;
}

/** "on 20% → 50%" for each variation whose share moved, when both sides are rollouts. */
function rolloutShift(before: Serve, after: Serve): string | null {
  if ("variation" in before || "variation" in after) return null;
  const was = new Map(before.rollout.weights.map((w) => [w.variation, w.weight]));
  const now = new Map(after.rollout.weights.map((w) => [w.variation, w.weight]));
  const shifts: string[] = [];
  for (const variation of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(variation) ?? 0;
    const b = now.get(variation) ?? 0;
    if (a !== b) shifts.push(`${variation} ${percent(a)} → ${percent(b)}`);
  }
  if (before.rollout.bucketBy !== after.rollout.bucketBy) {
    shifts.push(`bucketed by ${after.rollout.bucketBy ?? "targetingKey"}`);
  }
  return shifts.join(", ");
}

function describeServeChange(what: string, before: Serve, after: Serve): string {
  const shift = rolloutShift(before, after);
  if (shift) return `${what} rollout ${shift}`;
  return `${what}: ${describeServe(before)} → ${describeServe(after)}`;
}

function ruleLabel(rule: Rule, index: number): string {
  return `rule ${index + 1}${rule.id ? ` ("${rule.id}")` : ""}`;
}

function ruleChanges(before: Rule[], after: Rule[]): string[] {
  const out: string[] = [];
  const beforeById = new Map(before.map((r, i) => [r.id, { rule: r, index: i }]));
  const afterIds = new Set(after.map((r) => r.id));
  for (const [index, rule] of after.entries()) {
    const old = beforeById.get(rule.id);
    if (!old) {
      out.push(`${ruleLabel(rule, index)} added: ${describeRule(rule)}`);
      continue;
    }
    if (old.index !== index) out.push(`${ruleLabel(rule, index)} moved from position ${old.index + 1}`);
    if (!same(old.rule.clauses, rule.clauses)) {
      out.push(
        `${ruleLabel(rule, index)} now matches ${rule.clauses.map(describeClause).join(" and ") || "everyone"} (was ${old.rule.clauses.map(describeClause).join(" and ") || "everyone"})`,
      );
    }
    if (!same(old.rule.serve, rule.serve)) {
      out.push(describeServeChange(ruleLabel(rule, index), old.rule.serve, rule.serve));
    }
    if ((old.rule.description ?? "") !== (rule.description ?? "")) {
      out.push(`${ruleLabel(rule, index)} description changed`);
    }
  }
  for (const [index, rule] of before.entries()) {
    if (!afterIds.has(rule.id)) out.push(`${ruleLabel(rule, index)} removed: ${describeRule(rule)}`);
  }
  return out;
}

function targetChanges(before: StateFields["targets"], after: StateFields["targets"]): string[] {
  const keysOf = (targets: StateFields["targets"]) => {
    const map = new Map<string, Set<string>>();
    for (const t of targets) map.set(t.variation, new Set([...(map.get(t.variation) ?? []), ...t.values]));
    return map;
  };
  const was = keysOf(before);
  const now = keysOf(after);
  const out: string[] = [];
  for (const variation of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(variation) ?? new Set<string>();
    const b = now.get(variation) ?? new Set<string>();
    const added = [...b].filter((k) => !a.has(k));
    const removed = [...a].filter((k) => !b.has(k));
    const list = (keys: string[]) =>
      keys.length > 5 ? `${keys.slice(0, 5).join(", ")} and ${keys.length - 5} more` : keys.join(", ");
    if (added.length) out.push(`individual targets → ${variation} added: ${list(added)}`);
    if (removed.length) out.push(`individual targets → ${variation} removed: ${list(removed)}`);
  }
  return out;
}

function prerequisiteChanges(before: StateFields["prerequisites"], after: StateFields["prerequisites"]) {
  const text = (p: StateFields["prerequisites"][number]) => `${p.flagKey} serves ${p.variation}`;
  const a = new Set(before.map(text));
  const b = new Set(after.map(text));
  return [
    ...[...b].filter((p) => !a.has(p)).map((p) => `prerequisite added: ${p}`),
    ...[...a].filter((p) => !b.has(p)).map((p) => `prerequisite removed: ${p}`),
  ];
}

function shadowChanges(before: ShadowRule | null, after: ShadowRule | null): string[] {
  if (same(before, after)) return [];
  if (!before && after) {
    return [
      `shadow sample ${percent(after.sampleRate)} added${after.segment ? ` (segment ${after.segment})` : ""}`,
    ];
  }
  if (before && !after) return [`shadow sampling removed (was ${percent(before.sampleRate)})`];
  const a = before as ShadowRule;
  const b = after as ShadowRule;
  const out: string[] = [];
  if (a.sampleRate !== b.sampleRate)
    out.push(`shadow sample ${percent(a.sampleRate)} → ${percent(b.sampleRate)}`);
  const fields = [
    "stickiness",
    "bucketBy",
    "segment",
    "timeoutMs",
    "candidateVariation",
    "swapRoles",
  ] as const;
  for (const field of fields) {
    if (a[field] !== b[field]) out.push(`shadow ${field}: ${a[field] ?? "none"} → ${b[field] ?? "none"}`);
  }
  return out;
}

/** Every difference from `before` to `after`, most important first; empty when they serve the same. */
export function describeChanges(before: StateFields, after: StateFields): string[] {
  const out: string[] = [];
  if (before.on !== after.on) out.push(after.on ? "turned on" : "turned off");
  if (before.offVariation !== after.offVariation) {
    out.push(`off variation: ${before.offVariation} → ${after.offVariation}`);
  }
  out.push(...prerequisiteChanges(before.prerequisites, after.prerequisites));
  out.push(...targetChanges(before.targets, after.targets));
  out.push(...ruleChanges(before.rules, after.rules));
  if (!same(before.fallthrough, after.fallthrough)) {
    out.push(describeServeChange("fallthrough", before.fallthrough, after.fallthrough));
  }
  out.push(...shadowChanges(before.shadow ?? null, after.shadow ?? null));
  return out;
}
