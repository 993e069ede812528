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

/** Values that throw when anything reads them: every Proxy trap throws, or the Proxy is revoked. */
const trap = (thrownValue: () => unknown) =>
  new Proxy(
    {},
    Object.fromEntries(
      ["get", "has", "ownKeys", "getPrototypeOf", "getOwnPropertyDescriptor", "apply"].map((name) => [
        name,
        () => {
          throw thrownValue();
        },
      ]),
    ),
  );
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

/** What a hostile context or getter throws: including values that throw again when described. */
const thrownValue: fc.Arbitrary<() => unknown> = fc.constantFrom(
  () => new Error("boom"),
  () => "a string",
  () => undefined,
  () => null,
  () => Symbol("thrown"),
  () => ({ toString: () => trap(() => "again") }),
  () => ({
    toString() {
      throw new Error("no text");
    },
  }),
  () =>
    Object.defineProperty(new Error("x"), "message", {
      get() {
        throw trap(() => "deeper");
      },
    }),
  () => trap(() => trap(() => "all the way down")),
  revoked,
  () => Object.create(null),
);

/**
 * Contexts whose reading throws: getters, Proxies, revoked Proxies. The arbitraries yield recipes, built
 * inside the property: fast-check itself would trip over a hostile value it generated (it probes for a
 * clone method).
 */
const hostileContext: fc.Arbitrary<() => unknown> = fc.oneof(
  thrownValue.map((value) => () => trap(value)),
  fc.constant(revoked),
  fc
    .tuple(
      fc.constantFrom("targetingKey", "country", "email", "age", "appVersion", "org", "device"),
      thrownValue,
    )
    .map(
      ([name, value]) =>
        () =>
          Object.defineProperty({ targetingKey: "user-1" }, name, {
            enumerable: true,
            get() {
              throw value();
            },
          }),
    ),
);
const hostileDefault: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.jsonValue().map((v) => () => v),
  thrownValue.map((value) => () => trap(value)),
  fc.constant(revoked),
);

describe("never throws, even when what it is given throws", () => {
  const compiled = compileRuleset(main);
  if (!compiled.ok) throw new Error("vectors ruleset does not compile");
  const r = compiled.ruleset;

  it("evaluate, evaluateAll and shouldShadow with hostile contexts and hostile defaults", () => {
    fc.assert(
      fc.property(
        hostileContext,
        fc.constantFrom(...flagKeys, "missing"),
        hostileDefault,
        (makeContext, flag, makeDefault) => {
          const [ctx, fallback] = [makeContext(), makeDefault()];
          const d = evaluate(r, flag, ctx as never, fallback as JsonValue);
          expect(typeof d.reason).toBe("string");
          if (d.reason === "ERROR") {
            expect(d.value === fallback).toBe(true); // not toBe: printing a hostile value would throw
            expect(typeof d.errorMessage).toBe("string");
          }
          expect(typeof evaluateAll(r, ctx as never)).toBe("object");
          expect(typeof shouldShadow(r, flag, ctx as never, 5)).toBe("boolean");
        },
      ),
      { numRuns: 500 },
    );
  });
});
