import { describe, expect, it } from "vitest";
import { diffValues, show } from "./diff.js";

describe("diffValues", () => {
  it("lists the changed paths with old and new values, nothing for equal values", () => {
    expect(diffValues({ on: true, offVariation: "off" }, { on: false, offVariation: "off" })).toEqual([
      { path: "on", kind: "changed", before: true, after: false },
    ]);
    expect(diffValues({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });

  it("matches rules by id: an inserted rule is one addition, a reorder is one change", () => {
    const pilots = { id: "pilots", clauses: [], serve: { variation: "on" } };
    const staff = { id: "staff", clauses: [], serve: { variation: "on" } };
    const beta = { id: "beta", clauses: [], serve: { variation: "off" } };
    expect(diffValues({ rules: [pilots, staff] }, { rules: [beta, pilots, staff] })).toEqual([
      { path: "rules[beta]", kind: "added", after: beta },
    ]);
    expect(diffValues({ rules: [pilots, staff] }, { rules: [staff, pilots] })).toEqual([
      { path: "rules order", kind: "changed", before: ["pilots", "staff"], after: ["staff", "pilots"] },
    ]);
    expect(diffValues({ rules: [pilots] }, { rules: [{ ...pilots, serve: { variation: "off" } }] })).toEqual([
      { path: "rules[pilots].serve.variation", kind: "changed", before: "on", after: "off" },
    ]);
  });

  it("compares plain arrays by position and reports added and removed fields", () => {
    expect(diffValues({ values: ["a", "b"] }, { values: ["a", "c", "d"] })).toEqual([
      { path: "values[1]", kind: "changed", before: "b", after: "c" },
      { path: "values[2]", kind: "added", after: "d" },
    ]);
    expect(diffValues({ shadow: { sampleRate: 5 } }, { shadow: null })).toEqual([
      { path: "shadow", kind: "removed", before: { sampleRate: 5 } },
    ]);
    expect(diffValues(null, { on: true })).toEqual([{ path: "", kind: "added", after: { on: true } }]);
  });

  it("shows long values shortened", () => {
    expect(show("x".repeat(200))).toHaveLength(158);
    expect(show(undefined)).toBe("—");
    expect(show({ a: 1 })).toBe('{"a":1}');
  });
});
