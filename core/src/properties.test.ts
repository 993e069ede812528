/** Property-based: no input, however malformed, makes compile or evaluate throw. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRuleset } from "./compile.js";
import { evaluate, evaluateAll } from "./evaluate.js";
import type { JsonValue } from "./model.js";
import { shouldShadow } from "./shadow.js";
import vectors from "./vectors/vectors.json" with { type: "json" };

const main = vectors.rulesets.main as unknown as Record<string, unknown>;
const flagKeys = (main.flags as { key: string }[]).map((f) => f.key);

/** A valid ruleset with one flag's field replaced by arbitrary JSON. */
const mutated = fc
  .tuple(
    fc.nat(flagKeys.length - 1),
    fc.constantFrom(
      "rules",
      "targets",
      "fallthrough",
      "prerequisites",
      "variations",
      "offVariation",
      "shadow",
      "on",
    ),
    fc.jsonValue(),
  )
  .map(([i, field, value]) => {
    const flags = structuredClone(main.flags) as Record<string, unknown>[];
    (flags[i] as Record<string, unknown>)[field] = value;
    return { ...main, flags };
  });

const context = fc.oneof(
  fc.dictionary(
    fc.constantFrom("targetingKey", "country", "email", "age", "appVersion", "signupDate", "device", "org"),
    fc.jsonValue(),
  ),
  fc.jsonValue(),
);

describe("never throws", () => {
  it("compileRuleset on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        expect(() => compileRuleset(input)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("compileRuleset and evaluate on mutated rulesets and arbitrary contexts", () => {
    fc.assert(
      fc.property(
        mutated,
        context,
        fc.constantFrom(...flagKeys),
        fc.jsonValue(),
        (input, ctx, flag, fallback) => {
          const compiled = compileRuleset(input);
          if (!compiled.ok) return;
          const d = evaluate(compiled.ruleset, flag, ctx as never, fallback as JsonValue);
          if (d.reason === "ERROR") expect(d.value).toEqual(fallback);
          expect(() => evaluateAll(compiled.ruleset, ctx as never)).not.toThrow();
          expect(typeof shouldShadow(compiled.ruleset, flag, ctx as never, 5)).toBe("boolean");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("evaluate on every vector flag with arbitrary contexts", () => {
    const compiled = compileRuleset(main);
    if (!compiled.ok) throw new Error("vectors ruleset does not compile");
    fc.assert(
      fc.property(context, fc.constantFrom(...flagKeys, "missing"), (ctx, flag) => {
        const d = evaluate(compiled.ruleset, flag, ctx as never, null);
        expect(["DISABLED", "TARGETING_MATCH", "SPLIT", "DEFAULT", "STATIC", "ERROR"]).toContain(d.reason);
      }),
      { numRuns: 1000 },
    );
  });
});
