/**
 * @module Cross-checks a flag state against the database: every variation it serves exists, every
 * segment it matches exists in that environment, and prerequisites name real flag variations without
 * forming a cycle (a cycle would make evaluation undefined).
 */
import {
  type Prerequisite,
  RULESET_FORMAT_VERSION,
  type Rule,
  type Serve,
  type ShadowRule,
  type Target,
  type Variation,
  validateRuleset,
} from "@switchyard/core";
import type { Trx } from "../changes/commit.js";
import type { FieldError } from "../problem/errors.js";
import { ValidationError } from "../problem/errors.js";

export interface StateFields {
  on: boolean;
  offVariation: string;
  targets: Target[];
  rules: Rule[];
  fallthrough: Serve;
  prerequisites: Prerequisite[];
  shadow: ShadowRule | null;
}

function serveVariations(serve: Serve): string[] {
  return "variation" in serve ? [serve.variation] : serve.rollout.weights.map((w) => w.variation);
}

/** Variation keys a stored state refers to. */
export function servedVariations(row: {
  off_variation: string;
  targets: Target[];
  rules: Rule[];
  fallthrough: Serve;
  shadow: ShadowRule | null;
}): Set<string> {
  const used = new Set<string>([row.off_variation, ...serveVariations(row.fallthrough)]);
  for (const t of row.targets) used.add(t.variation);
  for (const r of row.rules) for (const v of serveVariations(r.serve)) used.add(v);
  if (row.shadow?.candidateVariation) used.add(row.shadow.candidateVariation);
  return used;
}

export async function validateState(
  trx: Trx,
  environment: string,
  flag: {
    key: string;
    kind: "boolean" | "string" | "number" | "json";
    variations: Variation[];
    salt: string;
  },
  state: StateFields,
) {
  const flagKey = flag.key;
  const variationKeys = flag.variations.map((v) => v.key);
  const errors: FieldError[] = [];
  const known = new Set(variationKeys);
  const need = (path: string, variation: string) => {
    if (!known.has(variation))
      errors.push({ path, message: `no variation "${variation}" on flag ${flagKey}` });
  };
  need("offVariation", state.offVariation);
  for (const [i, v] of serveVariations(state.fallthrough).entries()) {
    need(
      "variation" in state.fallthrough
        ? "fallthrough.variation"
        : `fallthrough.rollout.weights.${i}.variation`,
      v,
    );
  }
  for (const [i, t] of state.targets.entries()) need(`targets.${i}.variation`, t.variation);
  const ruleIds = new Set<string>();
  const segmentRefs: { path: string; key: string }[] = [];
  for (const [i, rule] of state.rules.entries()) {
    if (ruleIds.has(rule.id))
      errors.push({ path: `rules.${i}.id`, message: `duplicate rule id "${rule.id}"` });
    ruleIds.add(rule.id);
    for (const [j, v] of serveVariations(rule.serve).entries()) {
      need(
        "variation" in rule.serve
          ? `rules.${i}.serve.variation`
          : `rules.${i}.serve.rollout.weights.${j}.variation`,
        v,
      );
    }
    for (const [j, clause] of rule.clauses.entries()) {
      if (clause.op !== "segmentMatch") continue;
      for (const [k, v] of clause.values.entries()) {
        segmentRefs.push({ path: `rules.${i}.clauses.${j}.values.${k}`, key: String(v) });
      }
    }
  }
  if (state.shadow?.candidateVariation) need("shadow.candidateVariation", state.shadow.candidateVariation);
  if (state.shadow?.segment) segmentRefs.push({ path: "shadow.segment", key: state.shadow.segment });
  if (segmentRefs.length > 0) {
    const existing = new Set(
      (
        await trx
          .selectFrom("segments")
          .select("key")
          .where("environment_key", "=", environment)
          .where("key", "in", [...new Set(segmentRefs.map((s) => s.key))])
          .execute()
      ).map((s) => s.key),
    );
    for (const ref of segmentRefs) {
      if (!existing.has(ref.key))
        errors.push({ path: ref.path, message: `no segment "${ref.key}" in ${environment}` });
    }
  }

  if (state.prerequisites.length > 0)
    await checkPrerequisites(trx, environment, flagKey, state.prerequisites, errors);
  if (errors.length === 0) errors.push(...sdkWouldRefuse(environment, flag, state));
  if (errors.length > 0) {
    const first = errors[0] as FieldError;
    throw new ValidationError(`Invalid flag state: ${first.path}: ${first.message}`, errors);
  }
}

async function checkPrerequisites(
  trx: Trx,
  environment: string,
  flagKey: string,
  prerequisites: Prerequisite[],
  errors: FieldError[],
) {
  const flags = new Map(
    (await trx.selectFrom("flags").select(["key", "variations"]).execute()).map((f) => [
      f.key,
      f.variations.map((v) => v.key),
    ]),
  );
  for (const [i, p] of prerequisites.entries()) {
    if (p.flagKey === flagKey)
      errors.push({ path: `prerequisites.${i}.flagKey`, message: "a flag cannot be its own prerequisite" });
    const variations = flags.get(p.flagKey);
    if (!variations) errors.push({ path: `prerequisites.${i}.flagKey`, message: `no flag "${p.flagKey}"` });
    else if (!variations.includes(p.variation)) {
      errors.push({
        path: `prerequisites.${i}.variation`,
        message: `no variation "${p.variation}" on flag ${p.flagKey}`,
      });
    }
  }
  const states = await trx
    .selectFrom("flag_states")
    .select(["flag_key", "prerequisites"])
    .where("environment_key", "=", environment)
    .execute();
  const graph = new Map(states.map((s) => [s.flag_key, s.prerequisites.map((p) => p.flagKey)]));
  graph.set(
    flagKey,
    prerequisites.map((p) => p.flagKey),
  );
  const cycle = findCycleFrom(graph, flagKey);
  if (cycle)
    errors.push({ path: "prerequisites", message: `prerequisites form a cycle: ${cycle.join(" → ")}` });
}

/** A path from `start` back to itself through the graph, or null. */
export function findCycleFrom(graph: Map<string, string[]>, start: string): string[] | null {
  const visited = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (next === start) return [...path, start];
      if (!visited.has(next)) {
        visited.add(next);
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    return null;
  };
  return visit(start);
}

/**
 * The SDKs' own validator must accept the flag as it will be published: a ruleset it refuses would stop
 * every update to that environment, so such a state is refused here instead.
 */
function sdkWouldRefuse(
  environment: string,
  flag: {
    key: string;
    kind: "boolean" | "string" | "number" | "json";
    variations: Variation[];
    salt: string;
  },
  state: StateFields,
): FieldError[] {
  const result = validateRuleset({
    formatVersion: RULESET_FORMAT_VERSION,
    environment,
    version: 0,
    flags: [
      { key: flag.key, kind: flag.kind, variations: flag.variations, version: 1, salt: flag.salt, ...state },
    ],
    segments: [],
  });
  if (result.ok) return [];
  return result.errors.map((error) => {
    const [where, ...rest] = error.split(": ");
    const path = (where ?? "")
      .replace(/^flags\[0\]\.?/, "")
      .replace(/\[(\d+)\]/g, ".$1")
      .replace(/^\./, "");
    return { path, message: rest.join(": ") || error };
  });
}
