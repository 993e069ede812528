import { describe, expect, it } from "vitest";
import { bucketFor, hashPrefix } from "./bucket.js";
import { type CompiledRuleset, compileRuleset, compileTrustedRuleset } from "./compile.js";
import type { Flag, Ruleset, ShadowRule } from "./model.js";
import { shouldShadow } from "./shadow.js";
import { booleanFlag, ruleset } from "./test-rulesets.js";

function compile(r: Ruleset): CompiledRuleset {
  const result = compileRuleset(r);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

const shadowed = (shadow: Partial<ShadowRule>, extra: Partial<Flag> = {}) =>
  compile(
    ruleset(
      [
        booleanFlag("s", {
          shadow: { sampleRate: 10_000, stickiness: "user", timeoutMs: 50, ...shadow },
          ...extra,
        }),
      ],
      [{ key: "beta", version: 1, included: Array.from({ length: 500 }, (_, i) => `user-${i}`) }],
    ),
  );
const users = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`);

describe("shouldShadow", () => {
  it.each([1, 10, 50])("samples %i% of 100,000 users, within ±1%", (percent) => {
    const r = shadowed({ sampleRate: percent * 1000 });
    const sampled = users(100_000).filter((k) => shouldShadow(r, "s", { targetingKey: k })).length;
    expect(Math.abs(sampled / 1000 - percent)).toBeLessThanOrEqual(1);
  });

  it("is sticky per user: the same user always gets the same answer, drawn apart from rollouts", () => {
    const r = shadowed({ sampleRate: 30_000 });
    for (const k of users(1000)) {
      const first = shouldShadow(r, "s", { targetingKey: k }, 0);
      expect(shouldShadow(r, "s", { targetingKey: k }, 99_999)).toBe(first);
      expect(first).toBe(bucketFor("s:shadow", k) < 30_000);
    }
  });

  it("buckets by another attribute when told to", () => {
    const r = shadowed({ sampleRate: 50_000, bucketBy: "org" });
    const answer = shouldShadow(r, "s", { targetingKey: "a", org: "acme" });
    expect(shouldShadow(r, "s", { targetingKey: "b", org: "acme" })).toBe(answer);
    expect(shouldShadow(r, "s", { targetingKey: "a" })).toBe(false);
  });

  it("draws each call on its own with call stickiness, within ±1%", () => {
    const r = shadowed({ stickiness: "call", sampleRate: 25_000 });
    let sampled = 0;
    for (let i = 0; i < 100_000; i++)
      if (shouldShadow(r, "s", { targetingKey: "one" }, (i * 7919) % 100_000)) sampled++;
    expect(Math.abs(sampled / 1000 - 25)).toBeLessThanOrEqual(1);
    expect(shouldShadow(r, "s", { targetingKey: "one" })).toBe(false);
  });

  it("samples only the segment's members when the rule names a cohort", () => {
    const r = shadowed({ sampleRate: 100_000, segment: "beta" });
    expect(shouldShadow(r, "s", { targetingKey: "user-1" })).toBe(true);
    expect(shouldShadow(r, "s", { targetingKey: "user-900" })).toBe(false);
  });

  it("never samples a flag that is off, has no shadow rule, a zero rate, or does not exist", () => {
    expect(shouldShadow(shadowed({ sampleRate: 100_000 }, { on: false }), "s", { targetingKey: "u" })).toBe(
      false,
    );
    expect(shouldShadow(shadowed({ sampleRate: 0 }), "s", { targetingKey: "u" }, 0)).toBe(false);
    const plain = compile(ruleset([booleanFlag("s")]));
    expect(shouldShadow(plain, "s", { targetingKey: "u" }, 0)).toBe(false);
    expect(shouldShadow(plain, "nope", { targetingKey: "u" }, 0)).toBe(false);
    expect(shouldShadow(shadowed({ sampleRate: 100_000 }), "s", { targetingKey: "" })).toBe(false);
  });

  it("is compiled once per flag: the salt's hash state is kept, each call hashes only the user's value", () => {
    const r = shadowed({ sampleRate: 50_000, bucketBy: "org" });
    expect(r.flags.get("s")?.shadow).toBeUndefined(); // nothing until the first sampling decision
    shouldShadow(r, "s", { org: "first" });
    const compiled = r.flags.get("s")?.shadow;
    expect(compiled?.prefix).toEqual(hashPrefix("s:shadow."));
    for (const org of ["acme", "ünïcødé-Ørg", 42, "a-much-longer-organisation-name-than-a-block"]) {
      expect(shouldShadow(r, "s", { org })).toBe(bucketFor("s:shadow", String(org)) < 50_000);
    }
    expect(r.flags.get("s")?.shadow).toBe(compiled);
    const never = shadowed({ sampleRate: 0 });
    shouldShadow(never, "s", { org: "x" });
    expect(never.flags.get("s")?.shadow).toBeNull();
  });

  it("never samples, and still compiles, a malformed rule on the trusted path", () => {
    const flag = booleanFlag("s", {
      shadow: { sampleRate: 100_000, stickiness: "user", bucketBy: 7 } as never,
    });
    const result = compileTrustedRuleset(ruleset([flag, booleanFlag("t")]));
    if (!result.ok) throw new Error(result.errors.join("; "));
    expect(shouldShadow(result.ruleset, "s", { targetingKey: "u" })).toBe(false);
    expect(result.ruleset.has("t")).toBe(true);
  });
});
