import { describe, expect, it } from "vitest";
import { compileRuleset } from "./compile.js";
import { applyDelta } from "./delta.js";
import { evaluate } from "./evaluate.js";
import type { Ruleset, RulesetDelta } from "./model.js";
import { booleanFlag, ruleset } from "./test-rulesets.js";

const base = ruleset([booleanFlag("a"), booleanFlag("b")], [{ key: "s", version: 1, included: ["x"] }]);
const delta = (d: Partial<RulesetDelta>): RulesetDelta => ({
  formatVersion: 1,
  environment: "test",
  fromVersion: 1,
  version: 2,
  ...d,
});

describe("applyDelta", () => {
  it("upserts, adds and removes flags and segments, and takes the new version", () => {
    const next = applyDelta(
      base,
      delta({
        flags: { upsert: [booleanFlag("a", { on: false }), booleanFlag("c")], remove: ["b"] },
        segments: { upsert: [{ key: "t", version: 1 }], remove: ["s"] },
      }),
    );
    expect(next?.version).toBe(2);
    expect(next?.flags.map((f) => [f.key, f.on])).toEqual([
      ["a", false],
      ["c", true],
    ]);
    expect(next?.segments.map((s) => s.key)).toEqual(["t"]);
  });

  it("leaves the ruleset it was given untouched", () => {
    const before = JSON.stringify(base);
    applyDelta(base, delta({ flags: { remove: ["a"] } }));
    expect(JSON.stringify(base)).toBe(before);
  });

  it("keeps what the delta does not mention", () => {
    const next = applyDelta(base, delta({}));
    expect(next?.flags).toEqual(base.flags);
    expect(next?.segments).toEqual(base.segments);
  });

  it("refuses a delta built on another version or for another environment", () => {
    expect(applyDelta(base, delta({ fromVersion: 5, version: 6 }))).toBeUndefined();
    expect(applyDelta(base, delta({ fromVersion: 0 }))).toBeUndefined();
    expect(applyDelta(base, delta({ environment: "prod" }))).toBeUndefined();
  });

  it.each([
    ["not an object", null],
    ["another format version", delta({ formatVersion: 2 as 1 })],
    ["a version that does not move forward", delta({ version: 1 })],
    ["a version going back", delta({ version: 0 })],
    ["a fractional version", delta({ version: 2.5 })],
    ["upserts that are not a list", delta({ flags: { upsert: booleanFlag("a") as never } })],
    ["an upsert without a key", delta({ flags: { upsert: [{ on: false } as never] } })],
    ["removals that are not keys", delta({ segments: { remove: [7 as never] } })],
    ["a change that is not an object", delta({ flags: "all" as never })],
  ])("refuses a delta that is %s, and never throws", (_what, d) => {
    expect(applyDelta(base, d as RulesetDelta)).toBeUndefined();
  });

  it("leaves the previous rules in force when a delta is refused or its result does not validate", () => {
    // What every SDK does with a patch: apply, compile, and swap only if both succeed.
    let held: Ruleset = base;
    let compiled = compileRuleset(held);
    const patch = (d: unknown) => {
      const next = applyDelta(held, d as RulesetDelta);
      const result = next && compileRuleset(next);
      if (!next || !result?.ok) return false;
      [held, compiled] = [next, result];
      return true;
    };
    expect(patch(delta({ fromVersion: 7, version: 8, flags: { remove: ["a"] } }))).toBe(false);
    expect(patch(delta({ environment: "prod", flags: { remove: ["a"] } }))).toBe(false);
    expect(patch(delta({ flags: { upsert: [booleanFlag("a", { offVariation: "nope" })] } }))).toBe(false);
    expect(held).toBe(base);
    expect(compiled.ok && evaluate(compiled.ruleset, "a", {}, false).value).toBe(true);
    expect(patch(delta({ flags: { upsert: [booleanFlag("a", { on: false })] } }))).toBe(true);
    expect(compiled.ok && evaluate(compiled.ruleset, "a", {}, true).value).toBe(false);
  });
});
