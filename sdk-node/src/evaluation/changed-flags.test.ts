import { describe, expect, it } from "vitest";
import { booleanFlag, delta, ruleset, segment } from "../testing/rulesets.js";
import { changedBetween, changedByDelta } from "./changed-flags.js";

const pilotRule = {
  rules: [
    {
      id: "pilots",
      clauses: [{ attribute: "targetingKey", op: "segmentMatch" as const, values: ["pilots"] }],
      serve: { variation: "on" },
    },
  ],
};

describe("changed flags", () => {
  it("lists flags whose version moved, new flags and removed flags", () => {
    const before = ruleset(1, [
      booleanFlag("a", true, 1),
      booleanFlag("b", true, 1),
      booleanFlag("gone", true),
    ]);
    const after = ruleset(2, [
      booleanFlag("a", true, 1),
      booleanFlag("b", false, 2),
      booleanFlag("new", true),
    ]);
    expect(changedBetween(before, after).sort()).toEqual(["b", "gone", "new"]);
  });

  it("treats everything as changed when there was no ruleset or the environment differs", () => {
    const after = ruleset(5, [booleanFlag("a", true)]);
    expect(changedBetween(undefined, after)).toEqual(["a"]);
    expect(changedBetween(ruleset(5, [booleanFlag("x", true)], [], "staging"), after).sort()).toEqual([
      "a",
      "x",
    ]);
  });

  it("adds flags that use a changed segment and flags that depend on a changed flag", () => {
    const flags = [
      booleanFlag("uses-pilots", true, 1, pilotRule),
      booleanFlag("depends", true, 1, { prerequisites: [{ flagKey: "uses-pilots", variation: "on" }] }),
      booleanFlag("depends-deeper", true, 1, { prerequisites: [{ flagKey: "depends", variation: "on" }] }),
      booleanFlag("unrelated", true),
    ];
    const before = ruleset(1, flags, [segment("pilots", ["u1"], 1)]);
    const after = ruleset(2, flags, [segment("pilots", ["u1", "u2"], 2)]);
    expect(changedBetween(before, after).sort()).toEqual(["depends", "depends-deeper", "uses-pilots"]);
  });

  it("reads the changed keys from a delta", () => {
    const after = ruleset(
      3,
      [booleanFlag("a", false, 2), booleanFlag("b", true, 1, pilotRule)],
      [segment("pilots", [])],
    );
    const d = delta(
      2,
      3,
      { upsert: [booleanFlag("a", false, 2)], remove: ["old"] },
      { upsert: [segment("pilots", [])] },
    );
    expect(changedByDelta(d, after).sort()).toEqual(["a", "b", "old"]);
  });
});
