import { describe, expect, it } from "vitest";
import { bucketFor, hashKey, murmur3 } from "../bucket.js";
import { compileRuleset, compileTrustedRuleset } from "../compile.js";
import { evaluate } from "../evaluate.js";
import type { EvaluationContext } from "../model.js";
import { pinned, rulesetFor, vectors } from "./index.js";

describe("shared vectors", () => {
  it.each(vectors.murmur3)("murmur3(%j, %i) = %i", (input, seed, expected) => {
    expect(murmur3(input, seed)).toBe(expected);
  });

  it.each(vectors.buckets)("bucketFor(%j, %j) = %i", (salt, value, expected) => {
    expect(bucketFor(salt, value)).toBe(expected);
  });

  it.each(vectors.hashKey)("hashKey(%j, %j) = %j", (salt, key, expected) => {
    expect(hashKey(salt, key)).toBe(expected);
  });

  it.each(vectors.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const compiled = compileRuleset(rulesetFor(c));
    if (!compiled.ok) throw new Error(compiled.errors.join("; "));
    const decision = evaluate(compiled.ruleset, c.flag, c.context as EvaluationContext, c.default);
    expect(pinned(decision)).toEqual(c.expected);
  });

  // The browser's compile path (no structural validator) must answer exactly the same.
  it.each(vectors.cases.map((c) => [c.name, c] as const))("trusted compile: %s", (_name, c) => {
    const compiled = compileTrustedRuleset(rulesetFor(c));
    if (!compiled.ok) throw new Error(compiled.errors.join("; "));
    const decision = evaluate(compiled.ruleset, c.flag, c.context as EvaluationContext, c.default);
    expect(pinned(decision)).toEqual(c.expected);
  });
});
