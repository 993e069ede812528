import { describe, expect, it } from "vitest";
import { applyDelta } from "./delta.js";
import type { RulesetDelta } from "./model.js";
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
});
