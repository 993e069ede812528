/**
 * @module The server's field errors for a saved state (`rules.1.clauses.0.values.0`, `fallthrough`,
 * `prerequisites.0.variation`…) pinned to the editor fields they are about: the rule by its id, the
 * clause and prerequisite by their identity, so the message stays beside the right field while the
 * rules are reordered. What no field shows goes to the banner.
 */
import type { FieldError } from "../api/client.js";
import type { Clause, Prerequisite, Rule, StateFields } from "../api/types.js";
import { idOf } from "./identity.js";

/** Where an error shows: one key per editor field. */
export const fieldOf = {
  on: "on",
  offVariation: "offVariation",
  targets: "targets",
  fallthrough: "fallthrough",
  prerequisites: "prerequisites",
  rule: (rule: Rule) => `rule:${rule.id}`,
  serve: (rule: Rule) => `serve:${rule.id}`,
  clause: (clause: Clause) => `clause:${idOf(clause)}`,
  prerequisite: (prerequisite: Prerequisite) => `prerequisite:${idOf(prerequisite)}`,
} as const;

export interface StateErrors {
  /** The message for one field (see {@link fieldOf}), if the server named it. */
  at(field: string): string | undefined;
  /** Errors no field of the editor shows. */
  unmapped: FieldError[];
}

export const NO_ERRORS: StateErrors = { at: () => undefined, unmapped: [] };

const TOP_LEVEL = new Set(["on", "offVariation", "targets", "fallthrough", "prerequisites"]);

/** The editor field a dotted path is about, in the draft that was sent; undefined if none shows it. */
function fieldFor(path: string, draft: StateFields): string | undefined {
  const [top, index, part, subIndex] = path.split(".");
  if (top === "rules") {
    const rule = draft.rules[Number(index)];
    if (!rule) return undefined;
    if (part === "serve") return fieldOf.serve(rule);
    const clause = part === "clauses" ? rule.clauses[Number(subIndex)] : undefined;
    return clause ? fieldOf.clause(clause) : fieldOf.rule(rule);
  }
  if (top === "prerequisites" && index !== undefined) {
    const prerequisite = draft.prerequisites[Number(index)];
    return prerequisite ? fieldOf.prerequisite(prerequisite) : fieldOf.prerequisites;
  }
  return top !== undefined && TOP_LEVEL.has(top) ? top : undefined;
}

export function stateErrors(errors: FieldError[], draft: StateFields): StateErrors {
  const byField = new Map<string, string>();
  const unmapped: FieldError[] = [];
  for (const error of errors) {
    const field = fieldFor(error.path, draft);
    if (field === undefined) unmapped.push(error);
    else if (!byField.has(field)) byField.set(field, error.message);
  }
  return { at: (field) => byField.get(field), unmapped };
}
