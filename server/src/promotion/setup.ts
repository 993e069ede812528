/**
 * @module What a promotion copies. A flag's setup in an environment is its kill switch (`on`), targets,
 * rules, fallthrough (variation or rollout), off variation, prerequisites and shadow settings: exactly
 * the fields a state write accepts. Everything else is environment-specific or not per environment at
 * all, and is never copied:
 * - segments (membership differs per environment; rules refer to them by key, and a key missing in the
 *   target blocks the promotion),
 * - the state's version, `updatedAt`/`updatedBy` (the target keeps its own history),
 * - the flag definition (name, variations, tags, salt, `clientVisible`): it is shared by every
 *   environment already, so the target serves the same variations to the same buckets,
 * - API keys, CORS origins and other environment settings.
 */
import { createHash } from "node:crypto";
import type { StateFields } from "../flags/validate-state.js";

/** The copied fields of a state, in a fixed order (so fingerprints and hashes are stable). */
export function setupOf(state: StateFields): StateFields {
  return {
    on: state.on,
    offVariation: state.offVariation,
    targets: state.targets,
    rules: state.rules,
    fallthrough: state.fallthrough,
    prerequisites: state.prerequisites,
    shadow: state.shadow ?? null,
  };
}

/** JSON with object keys sorted, so equal values always serialise alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Short, stable identity of a setup: equal fingerprints serve exactly the same. */
export function fingerprint(state: StateFields): string {
  return sha256(canonicalJson(setupOf(state))).slice(0, 12);
}

/** Segment keys a setup refers to (rule clauses and the shadow segment), with where they are used. */
export function segmentReferences(state: StateFields): { key: string; where: string; path: string }[] {
  const refs: { key: string; where: string; path: string }[] = [];
  for (const [i, rule] of state.rules.entries()) {
    for (const [j, clause] of rule.clauses.entries()) {
      if (clause.op !== "segmentMatch") continue;
      for (const [k, value] of clause.values.entries()) {
        refs.push({
          key: String(value),
          where: `rule ${i + 1} ("${rule.id}")`,
          path: `rules.${i}.clauses.${j}.values.${k}`,
        });
      }
    }
  }
  if (state.shadow?.segment) {
    refs.push({ key: state.shadow.segment, where: "shadow sampling", path: "shadow.segment" });
  }
  return refs;
}
