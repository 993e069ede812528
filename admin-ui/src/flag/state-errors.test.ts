import { describe, expect, it } from "vitest";
import type { StateFields } from "../api/types.js";
import { moveRule, updateClause } from "./draft.js";
import { fieldOf, stateErrors } from "./state-errors.js";

const draft: StateFields = {
  on: true,
  offVariation: "off",
  targets: [],
  rules: [
    { id: "a", clauses: [{ attribute: "country", op: "in", values: ["DE"] }], serve: { variation: "on" } },
    {
      id: "b",
      clauses: [
        { attribute: "plan", op: "in", values: [] },
        { attribute: "", op: "segmentMatch", values: ["ghost"] },
      ],
      serve: { variation: "on" },
    },
  ],
  fallthrough: { variation: "off" },
  prerequisites: [{ flagKey: "dark-mode", variation: "nope" }],
  shadow: null,
};

describe("stateErrors", () => {
  const errors = stateErrors(
    [
      { path: "rules.1.clauses.1.values.0", message: 'no segment "ghost"' },
      { path: "rules.1.serve.variation", message: "no such variation" },
      { path: "rules.0.id", message: "duplicate rule id" },
      { path: "prerequisites.0.variation", message: "dark-mode has no variation nope" },
      { path: "fallthrough.rollout.weights", message: "must add up to 100,000" },
      { path: "offVariation", message: "required" },
      { path: "rules.7.serve", message: "out of range" },
      { path: "shadow.sampleRate", message: "at most 1" },
    ],
    draft,
  );

  it("pins each error to the rule, clause, serve or prerequisite it names", () => {
    const [a, b] = draft.rules;
    if (!a || !b) throw new Error("fixture");
    expect(errors.at(fieldOf.clause(b.clauses[1] as never))).toBe('no segment "ghost"');
    expect(errors.at(fieldOf.clause(b.clauses[0] as never))).toBeUndefined();
    expect(errors.at(fieldOf.serve(b))).toBe("no such variation");
    expect(errors.at(fieldOf.rule(a))).toBe("duplicate rule id");
    expect(errors.at(fieldOf.prerequisite(draft.prerequisites[0] as never))).toBe(
      "dark-mode has no variation nope",
    );
    expect(errors.at(fieldOf.fallthrough)).toBe("must add up to 100,000");
    expect(errors.at(fieldOf.offVariation)).toBe("required");
  });

  it("leaves what no field shows for the banner", () => {
    expect(errors.unmapped.map((e) => e.path)).toEqual(["rules.7.serve", "shadow.sampleRate"]);
  });

  it("keeps the message on its clause after the rules are reordered or the clause is edited", () => {
    const b = draft.rules[1];
    if (!b) throw new Error("fixture");
    const reordered = moveRule(draft, 1, 0);
    const edited = updateClause(reordered.rules[0] as typeof b, 1, {
      attribute: "",
      op: "segmentMatch",
      values: ["ghost-2"],
    });
    expect(errors.at(fieldOf.clause(edited.clauses[1] as never))).toBe('no segment "ghost"');
  });
});
