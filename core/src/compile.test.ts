import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CompiledRuleset, compileRuleset, compileTrustedRuleset, MAX_DEPTH } from "./compile.js";
import { evaluate } from "./evaluate.js";
import type { Flag, Ruleset } from "./model.js";
import { booleanFlag, percentOn, ruleset } from "./test-rulesets.js";

function compile(r: Ruleset): CompiledRuleset {
  const result = compileRuleset(r);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

const rule = (id: string, attribute: string, op: string, values: unknown[]) =>
  ({ id, clauses: [{ attribute, op, values }], serve: { variation: "on" } }) as NonNullable<
    Flag["rules"]
  >[number];

describe("compileRuleset", () => {
  it("refuses what does not validate, with the reason, and never throws", () => {
    const result = compileRuleset({ formatVersion: 99 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/formatVersion/);
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => compileRuleset(input)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("indexes the ruleset: keys, kinds and metadata", () => {
    const r = compile({
      ...ruleset([booleanFlag("a"), { ...booleanFlag("b"), kind: "boolean" }]),
      version: 42,
    });
    expect(r.version).toBe(42);
    expect(r.environment).toBe("test");
    expect([...r.flags.keys()]).toEqual(["a", "b"]);
    expect(r.has("a")).toBe(true);
    expect(r.has("z")).toBe(false);
    expect(r.flags.get("a")?.kind).toBe("boolean");
    expect(r.lookupKey("alice")).toBe("alice");
  });

  it("answers a flag with nothing to decide with one shared, frozen decision", () => {
    const r = compile(ruleset([booleanFlag("static"), booleanFlag("off", { on: false })]));
    const first = evaluate(r, "static", { targetingKey: "a" }, false);
    expect(evaluate(r, "static", { targetingKey: "b" }, false)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(evaluate(r, "off", {}, true))).toBe(true);
  });

  it("isolates a flag whose pattern is unsafe: it serves the default, the others still work", () => {
    const r = compile(
      ruleset([
        booleanFlag("evil", { rules: [rule("r", "email", "matches", ["(a+)+$"])] }),
        booleanFlag("fine"),
      ]),
    );
    expect(evaluate(r, "evil", { email: "aaa" }, true)).toMatchObject({
      value: true,
      reason: "ERROR",
      errorCode: "PARSE_ERROR",
    });
    expect(evaluate(r, "fine", {}, false).value).toBe(true);
  });

  it("keeps a segment whose rule cannot compile, matching by its key lists only", () => {
    const r = compile(
      ruleset(
        [
          booleanFlag("f", {
            fallthrough: { variation: "off" },
            rules: [rule("p", "targetingKey", "segmentMatch", ["s"])],
          }),
        ],
        [
          {
            key: "s",
            version: 1,
            included: ["bob"],
            rules: [{ clauses: [{ attribute: "e", op: "matches", values: ["(a|aa)+"] }] }],
          },
        ],
      ),
    );
    expect(evaluate(r, "f", { targetingKey: "bob" }, false).value).toBe(true);
    expect(evaluate(r, "f", { targetingKey: "al", e: "aa" }, false).value).toBe(false);
  });

  it("matches segments on a segmentMatch cycle, or nested too deep, by their key lists only", () => {
    const inSegments = (...keys: string[]) => [
      { clauses: [{ attribute: "", op: "segmentMatch" as const, values: keys }] },
    ];
    const chain = Array.from({ length: MAX_DEPTH + 2 }, (_, i) => ({
      key: `c${i}`,
      version: 1,
      included: [`member-${i}`],
      rules: i === 0 ? [] : inSegments(`c${i - 1}`),
    }));
    const r = compile(
      ruleset(
        [booleanFlag("f", { fallthrough: { variation: "off" } })],
        [
          { key: "self", version: 1, included: ["ann"], rules: inSegments("self") },
          { key: "a", version: 1, included: ["bob"], rules: inSegments("b") },
          { key: "b", version: 1, included: ["cy"], rules: inSegments("a") },
          { key: "above", version: 1, rules: inSegments("a", "self") },
          ...chain,
        ],
      ),
    );
    expect(r.inSegment("self", { targetingKey: "ann" })).toBe(true);
    expect(r.inSegment("self", { targetingKey: "dan" })).toBe(false);
    expect(r.inSegment("a", { targetingKey: "bob" })).toBe(true);
    expect(r.inSegment("a", { targetingKey: "cy" })).toBe(false);
    expect(r.inSegment("above", { targetingKey: "cy" })).toBe(false);
    expect(r.inSegment("above", { targetingKey: "ann" })).toBe(true);
    // A chain within the bound follows its rules; above it, a segment keeps only its own keys.
    expect(r.inSegment(`c${MAX_DEPTH}`, { targetingKey: "member-0" })).toBe(true);
    expect(r.inSegment(`c${MAX_DEPTH + 1}`, { targetingKey: "member-0" })).toBe(false);
    expect(r.inSegment(`c${MAX_DEPTH + 1}`, { targetingKey: `member-${MAX_DEPTH + 1}` })).toBe(true);
  });

  it("finds prerequisite cycles, self-loops included, without recursion", () => {
    const r = compile(
      ruleset([
        booleanFlag("self", { prerequisites: [{ flagKey: "self", variation: "on" }] }),
        booleanFlag("a", { prerequisites: [{ flagKey: "b", variation: "on" }] }),
        booleanFlag("b", { prerequisites: [{ flagKey: "a", variation: "on" }] }),
        booleanFlag("fine", { prerequisites: [{ flagKey: "leaf", variation: "on" }] }),
        booleanFlag("leaf"),
      ]),
    );
    for (const key of ["self", "a", "b"]) expect(evaluate(r, key, {}, null).reason).toBe("ERROR");
    expect(evaluate(r, "fine", {}, false)).toMatchObject({ value: true, reason: "DEFAULT" });
  });

  it("compiles a 10,000-flag prerequisite ring (one long cycle) without overflowing the stack", () => {
    const n = 10_000;
    const flags = Array.from({ length: n }, (_, i) =>
      booleanFlag(`f${i}`, { prerequisites: [{ flagKey: `f${(i + 1) % n}`, variation: "on" }] }),
    );
    const r = compile(ruleset(flags));
    expect(evaluate(r, "f1234", {}, false)).toMatchObject({ reason: "ERROR", errorCode: "GENERAL" });
  });

  it("reports STATIC only when nothing about the context can change the answer", () => {
    const r = compile(
      ruleset([
        booleanFlag("static"),
        booleanFlag("targeted", { targets: [{ variation: "off", values: ["x"] }] }),
        booleanFlag("gated", { prerequisites: [{ flagKey: "static", variation: "on" }] }),
        booleanFlag("split", { fallthrough: percentOn(50) }),
      ]),
    );
    expect(evaluate(r, "static", { targetingKey: "u" }, false).reason).toBe("STATIC");
    expect(evaluate(r, "targeted", { targetingKey: "u" }, false).reason).toBe("DEFAULT");
    expect(evaluate(r, "gated", { targetingKey: "u" }, false).reason).toBe("DEFAULT");
    expect(evaluate(r, "split", { targetingKey: "u" }, false).reason).toBe("SPLIT");
  });

  it("keeps the first target when a key is pinned to two variations", () => {
    const r = compile(
      ruleset([
        booleanFlag("f", {
          targets: [
            { variation: "off", values: ["u"] },
            { variation: "on", values: ["u"] },
          ],
        }),
      ]),
    );
    expect(evaluate(r, "f", { targetingKey: "u" }, true).value).toBe(false);
  });
});

describe("compileTrustedRuleset (the browser's path)", () => {
  it("refuses anything that is not a ruleset of this format, and payloads compilation cannot make sense of", () => {
    expect(compileTrustedRuleset(null).ok).toBe(false);
    expect(compileTrustedRuleset({ formatVersion: 2, flags: [], segments: [] }).ok).toBe(false);
    expect(compileTrustedRuleset({ formatVersion: 1, flags: "x", segments: [] }).ok).toBe(false);
    const broken = { ...booleanFlag("f"), variations: "x" } as unknown as Flag;
    expect(compileTrustedRuleset(ruleset([broken]))).toMatchObject({ ok: false });
    const noFallthrough = { ...booleanFlag("f"), fallthrough: null } as unknown as Flag;
    expect(compileTrustedRuleset(ruleset([noFallthrough])).ok).toBe(false);
  });

  it("never throws, even when what a payload throws cannot be printed", () => {
    const unprintable = {
      toString() {
        throw unprintable;
      },
    };
    const hostile = Object.defineProperty({ ...booleanFlag("f") }, "variations", {
      get() {
        throw unprintable;
      },
    }) as Flag;
    expect(compileTrustedRuleset(ruleset([hostile]))).toEqual({
      ok: false,
      errors: ["compile: unprintable error"],
    });
  });

  it("keeps a malformed segment rule or prerequisite to its own segment or flag", () => {
    const result = compileTrustedRuleset(
      ruleset(
        [booleanFlag("odd", { prerequisites: [null as never] }), booleanFlag("fine")],
        [{ key: "s", version: 1, included: ["ann"], rules: [{ clauses: [null as never] }, null as never] }],
      ),
    );
    if (!result.ok) throw new Error(result.errors.join("; "));
    expect(result.ruleset.inSegment("s", { targetingKey: "ann" })).toBe(true);
    expect(evaluate(result.ruleset, "odd", {}, true)).toMatchObject({ value: true, reason: "ERROR" });
    expect(evaluate(result.ruleset, "fine", {}, false).value).toBe(true);
  });

  it("compiles what the full path compiles, to the same answers", () => {
    const source = ruleset([booleanFlag("f", { fallthrough: percentOn(30) })]);
    const full = compileRuleset(source);
    const trusted = compileTrustedRuleset(source);
    if (!full.ok || !trusted.ok) throw new Error("compile");
    for (const key of ["a", "b", "c", "d", "e", "f", "g"]) {
      expect(evaluate(trusted.ruleset, "f", { targetingKey: key }, false)).toEqual(
        evaluate(full.ruleset, "f", { targetingKey: key }, false),
      );
    }
  });
});
