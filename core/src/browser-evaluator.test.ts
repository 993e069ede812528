/**
 * The evaluator as browsers get it: core's package.json `browser` map swaps in every `*.browser.ts` (bucketing
 * over TextEncoder, no regex guard: the server's bounds, the compact dates parser, graph walk and delta, no
 * shadow sampling). Mocked in the same way here, every shared vector must still decide as pinned, from the
 * browser-safe ruleset through the browser's compile path.
 */
import { describe, expect, it, vi } from "vitest";
import { toBrowserRuleset } from "./browser.js";
import { hashPrefix } from "./bucket.js";
import { compileTrustedRuleset } from "./compile.js";
import { applyDelta } from "./delta.js";
import { evaluate, evaluateAll } from "./evaluate.js";
import type { EvaluationContext, Ruleset } from "./model.js";
import { safeRegExp, UnsafePatternError } from "./safe-regexp.js";
import { booleanFlag, ruleset } from "./test-rulesets.js";
import { browserRulesetFor, pinned, vectors } from "./vectors/index.js";

vi.mock("./bucket.js", () => import("./bucket.browser.js"));
vi.mock("./safe-regexp.js", () => import("./safe-regexp.browser.js"));
vi.mock("./dates.js", () => import("./dates.browser.js"));
vi.mock("./graph.js", () => import("./graph.browser.js"));
vi.mock("./delta.js", () => import("./delta.browser.js"));
vi.mock("./shadow.js", () => import("./shadow.browser.js"));

function compile(r: Ruleset) {
  const result = compileTrustedRuleset(r);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

const matching = (patterns: string[]) =>
  booleanFlag("m", {
    clientVisible: true,
    fallthrough: { variation: "off" },
    rules: [
      { id: "r", clauses: [{ attribute: "a", op: "matches", values: patterns }], serve: { variation: "on" } },
    ],
  });

describe("the browser's evaluator (browser variants of bucketing and the regex guard)", () => {
  it("runs the browser variants here: no pattern compiles without a bound from the server", () => {
    expect(() => safeRegExp("^a$")).toThrow(UnsafePatternError);
    expect(hashPrefix("salt.")).toEqual({ h: 0, rest: "salt.", length: 0 });
    expect(applyDelta(ruleset([]), { flags: { upsert: 5 } } as never)).toBeUndefined();
  });

  it("evaluates a corrupt cached ruleset with long prerequisite and segment cycles without overflowing the stack", () => {
    const n = 5_000;
    const next = (i: number) => `k${(i + 1) % n}`;
    const flags = Array.from({ length: n }, (_, i) =>
      booleanFlag(`k${i}`, { prerequisites: [{ flagKey: next(i), variation: "on" }] }),
    );
    const segments = Array.from({ length: n }, (_, i) => ({
      key: `k${i}`,
      version: 1,
      rules: [{ id: "r", clauses: [{ attribute: "", op: "segmentMatch" as const, values: [next(i)] }] }],
    }));
    const inSegment = booleanFlag("seg", {
      rules: [
        {
          id: "r",
          clauses: [{ attribute: "", op: "segmentMatch", values: ["k0"] }],
          serve: { variation: "off" },
        },
      ],
    });
    const compiled = compile(ruleset([...flags, inSegment], segments));
    const all = evaluateAll(compiled, { targetingKey: "u" });
    expect(all.k0).toMatchObject({ reason: "ERROR", errorCode: "GENERAL" });
    expect(all.seg).toMatchObject({ value: true, reason: "DEFAULT" });
  });

  it.each(vectors.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const decision = evaluate(
      compile(browserRulesetFor(c)),
      c.flag,
      c.context as EvaluationContext,
      c.default,
    );
    expect(pinned(decision)).toEqual(c.expected);
  });

  it("tests a value only up to the bound the server computed, and the server's bound is the guard's", () => {
    const browser = toBrowserRuleset(ruleset([matching(["^[ab]*c", "(x+x+)+y", "^a$", 7 as never])]), "s");
    const clause = browser.flags[0]?.rules?.[0]?.clauses[0];
    expect(clause?.maxInput).toEqual([1024, 0, 1024]); // one per string pattern; 0: refused
    const compiled = compile(browser);
    expect(evaluate(compiled, "m", { a: "a" }, false).errorCode).toBe("PARSE_ERROR");
  });

  it("serves the default with PARSE_ERROR, never throws, for a pattern without a bound or one it cannot compile", () => {
    for (const clause of [
      { attribute: "a", op: "matches" as const, values: ["^a$"] },
      { attribute: "a", op: "matches" as const, values: ["^a$"], maxInput: [0] },
      { attribute: "a", op: "matches" as const, values: ["(?<n>a)\\k<m>"], maxInput: [1024] },
    ]) {
      const flag = { ...matching([]), rules: [{ id: "r", clauses: [clause], serve: { variation: "on" } }] };
      const d = evaluate(compile(ruleset([flag])), "m", { a: "a" }, false);
      expect(d).toMatchObject({ value: false, reason: "ERROR", errorCode: "PARSE_ERROR" });
      expect(d.errorMessage).toContain("not vetted or invalid");
    }
  });

  it("caps a bound above the guard's 1,024 characters (an edited cached ruleset), so a longer value never matches", () => {
    const flag = {
      ...matching([]),
      rules: [
        {
          id: "r",
          clauses: [{ attribute: "a", op: "matches" as const, values: ["^a+$"], maxInput: [1_000_000] }],
          serve: { variation: "on" },
        },
      ],
    };
    const compiled = compile(ruleset([flag]));
    expect(evaluate(compiled, "m", { a: "a".repeat(1024) }, false).value).toBe(true);
    expect(evaluate(compiled, "m", { a: "a".repeat(1025) }, false).value).toBe(false);
  });

  it("keeps a bounded pattern's answers: within the bound it matches, beyond it never", () => {
    const flag = matching(["^a+$"]);
    const compiled = compile(toBrowserRuleset(ruleset([flag]), "s"));
    const bound = toBrowserRuleset(ruleset([flag]), "s").flags[0]?.rules?.[0]?.clauses[0]?.maxInput?.[0] ?? 0;
    expect(bound).toBeGreaterThan(0);
    expect(evaluate(compiled, "m", { a: "a".repeat(bound) }, false).value).toBe(true);
    expect(evaluate(compiled, "m", { a: "a".repeat(bound + 1) }, false).value).toBe(false);
  });
});
