/**
 * @module A decision in words for the preview: "matched rule 2: country is one of DE, FR → on".
 */
import type { Decision } from "@switchyard/core";
import type { Rule, StateFields } from "../api/types.js";
import { formatValues, OPERATORS } from "./draft.js";

const opLabel = (op: string) => OPERATORS.find((o) => o.op === op)?.label ?? op;

export function describeRule(rule: Rule): string {
  if (rule.description) return rule.description;
  if (rule.clauses.length === 0) return "everyone";
  return rule.clauses
    .map((c) =>
      c.op === "segmentMatch"
        ? `in segment ${formatValues(c.values)}`
        : `${c.attribute} ${c.negate ? "not " : ""}${opLabel(c.op)} ${formatValues(c.values)}`,
    )
    .join(" and ");
}

export function describeDecision(decision: Decision, state: StateFields): string {
  const serves = decision.variant ? ` → ${decision.variant}` : "";
  switch (decision.reason) {
    case "DISABLED":
      return decision.prerequisiteFailed
        ? `prerequisite ${decision.prerequisiteFailed} is not met: serves the off variation${serves}`
        : `the flag is off: serves the off variation${serves}`;
    case "TARGETING_MATCH": {
      if (decision.targetMatch || decision.ruleIndex === undefined) return `individually targeted${serves}`;
      const rule = state.rules[decision.ruleIndex];
      return `matched rule ${decision.ruleIndex + 1}: ${rule ? describeRule(rule) : decision.ruleId}${serves}`;
    }
    case "SPLIT":
      return `in the percentage rollout${serves}`;
    case "DEFAULT":
      return `no rule matched: the default rule${serves}`;
    case "ERROR":
      return `error ${decision.errorCode ?? ""}: ${decision.errorMessage ?? "the default value"}`;
    default:
      return `${decision.reason}${serves}`;
  }
}
