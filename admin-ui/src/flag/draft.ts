/**
 * @module Editing a flag's state in one environment as pure functions over the draft: rules and their
 * clauses, targets, the rollout split. Components call these; tests pin them.
 */
import type { Clause, Operator, Prerequisite, Rule, Serve, StateFields, Variation } from "../api/types.js";
import { BUCKET_COUNT } from "../api/types.js";
import { carry } from "./identity.js";

export const OPERATORS: { op: Operator; label: string }[] = [
  { op: "in", label: "is one of" },
  { op: "notIn", label: "is not one of" },
  { op: "contains", label: "contains" },
  { op: "startsWith", label: "starts with" },
  { op: "endsWith", label: "ends with" },
  { op: "matches", label: "matches regex" },
  { op: "lt", label: "<" },
  { op: "lte", label: "≤" },
  { op: "gt", label: ">" },
  { op: "gte", label: "≥" },
  { op: "before", label: "is before" },
  { op: "after", label: "is after" },
  { op: "semverEq", label: "version =" },
  { op: "semverLt", label: "version <" },
  { op: "semverGt", label: "version >" },
  { op: "segmentMatch", label: "is in segment" },
];

const NUMERIC = new Set<Operator>(["lt", "lte", "gt", "gte"]);

/** Text typed in a values box → clause values: comma-separated, numbers for numeric operators. */
export function parseValues(op: Operator, text: string): Clause["values"] {
  const parts = text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (NUMERIC.has(op)) return parts.map((v) => (Number.isFinite(Number(v)) ? Number(v) : v));
  if (op === "in" || op === "notIn")
    return parts.map((v) => (v === "true" ? true : v === "false" ? false : v));
  return parts;
}

export const formatValues = (values: Clause["values"]) => values.join(", ");

/** True when the typed text already says these values (so the box keeps the text as typed). */
export const textSays = (op: Operator, text: string, values: Clause["values"]) =>
  formatValues(parseValues(op, text)) === formatValues(values);

let counter = 0;
/** A rule id that reads well in the audit log and does not collide within the flag. */
export function newRuleId(rules: Rule[]): string {
  const taken = new Set(rules.map((r) => r.id));
  let id: string;
  do id = `rule-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  while (taken.has(id));
  return id;
}

export function addRule(state: StateFields, variation: string): StateFields {
  const rule: Rule = {
    id: newRuleId(state.rules),
    clauses: [{ attribute: "targetingKey", op: "in", values: [] }],
    serve: { variation },
  };
  return { ...state, rules: [...state.rules, rule] };
}

export function updateRule(state: StateFields, index: number, rule: Rule): StateFields {
  return { ...state, rules: state.rules.map((r, i) => (i === index ? rule : r)) };
}

export function removeRule(state: StateFields, index: number): StateFields {
  return { ...state, rules: state.rules.filter((_, i) => i !== index) };
}

/** Moves the rule at `from` to position `to` (drag and drop, or the up/down buttons). */
export function moveRule(state: StateFields, from: number, to: number): StateFields {
  if (to < 0 || to >= state.rules.length || from === to) return state;
  const rules = [...state.rules];
  const [moved] = rules.splice(from, 1);
  rules.splice(to, 0, moved as Rule);
  return { ...state, rules };
}

export function updateClause(rule: Rule, index: number, clause: Clause): Rule {
  return { ...rule, clauses: rule.clauses.map((c, i) => (i === index ? carry(c, clause) : c)) };
}

export function addClause(rule: Rule): Rule {
  return { ...rule, clauses: [...rule.clauses, { attribute: "", op: "in", values: [] }] };
}

export function removeClause(rule: Rule, index: number): Rule {
  return { ...rule, clauses: rule.clauses.filter((_, i) => i !== index) };
}

export function addPrerequisite(state: StateFields, prerequisite: Prerequisite): StateFields {
  return { ...state, prerequisites: [...state.prerequisites, prerequisite] };
}

export function updatePrerequisite(
  state: StateFields,
  index: number,
  prerequisite: Prerequisite,
): StateFields {
  return {
    ...state,
    prerequisites: state.prerequisites.map((p, i) => (i === index ? carry(p, prerequisite) : p)),
  };
}

export function removePrerequisite(state: StateFields, index: number): StateFields {
  return { ...state, prerequisites: state.prerequisites.filter((_, i) => i !== index) };
}

/** Percent per variation of a serve (a fixed variation is 100%). */
export function splitOf(serve: Serve, variations: Variation[]): Record<string, number> {
  const split = Object.fromEntries(variations.map((v) => [v.key, 0]));
  if ("variation" in serve) split[serve.variation] = 100;
  else for (const w of serve.rollout.weights) split[w.variation] = (w.weight / BUCKET_COUNT) * 100;
  return split;
}

/**
 * Sets one variation's percent and rebalances the others proportionally so the split stays 100%. A split
 * with one variation at 100% becomes a plain serve of it.
 */
export function setShare(serve: Serve, variations: Variation[], key: string, percent: number): Serve {
  const split = splitOf(serve, variations);
  const target = Math.max(0, Math.min(100, Math.round(percent * 1000) / 1000));
  const others = variations.filter((v) => v.key !== key);
  const rest = others.reduce((a, v) => a + (split[v.key] ?? 0), 0);
  const remaining = 100 - target;
  const weights = [{ variation: key, weight: Math.round((target / 100) * BUCKET_COUNT) }];
  for (const v of others) {
    const share = rest > 0 ? ((split[v.key] ?? 0) / rest) * remaining : remaining / others.length;
    weights.push({ variation: v.key, weight: Math.round((share / 100) * BUCKET_COUNT) });
  }
  // Rounding leftovers go to the edited variation, so the weights always sum to exactly BUCKET_COUNT.
  const sum = weights.reduce((a, w) => a + w.weight, 0);
  (weights[0] as { weight: number }).weight += BUCKET_COUNT - sum;
  const full = weights.find((w) => w.weight === BUCKET_COUNT);
  if (full) return { variation: full.variation };
  const bucketBy = "rollout" in serve ? serve.rollout.bucketBy : undefined;
  return { rollout: { ...(bucketBy ? { bucketBy } : {}), weights: weights.filter((w) => w.weight > 0) } };
}

/** Target keys typed one per line or comma-separated. */
export const parseKeys = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\n,]/)
      .map((k) => k.trim())
      .filter(Boolean),
  ),
];

/** Keys of `variation`'s individual targets, replaced (an empty list removes the target). */
export function setTargetKeys(state: StateFields, variation: string, values: string[]): StateFields {
  const others = state.targets.filter((t) => t.variation !== variation);
  return { ...state, targets: values.length ? [...others, { variation, values }] : others };
}
