import { describe, expect, it } from "vitest";
import { compileRuleset } from "./compile.js";
import { evaluate } from "./evaluate.js";
import { safeRegExp, UnsafePatternError } from "./operators.js";
import { booleanFlag, ruleset } from "./test-rulesets.js";
import { validateRuleset } from "./validate.js";

const broken = (flag: object) => validateRuleset(ruleset([{ ...booleanFlag("f"), ...flag } as never]));

describe("validateRuleset", () => {
  it("accepts a well-formed ruleset", () => {
    expect(validateRuleset(ruleset([booleanFlag("f")])).ok).toBe(true);
  });

  it.each([
    ["an unknown format version", { ...ruleset([]), formatVersion: 2 }, "formatVersion"],
    ["a non-object", "nope", "ruleset"],
    ["flags that are not an array", { ...ruleset([]), flags: {} }, "flags"],
    ["segments that are not an array", { ...ruleset([]), segments: null }, "segments"],
    ["a negative version", { ...ruleset([]), version: -1 }, "version"],
    ["a missing environment", { ...ruleset([]), environment: 3 }, "environment"],
    ["a segment without a key", { ...ruleset([]), segments: [{ version: 1 }] }, "segments[0]"],
    [
      "included keys that are not a list",
      { ...ruleset([]), segments: [{ key: "s", included: "bob" }] },
      "segments[0].included",
    ],
    [
      "a segment clause with an unknown operator",
      {
        ...ruleset([]),
        segments: [{ key: "s", rules: [{ clauses: [{ attribute: "a", op: "~", values: [] }] }] }],
      },
      "segments[0].rules[0].clauses[0].op",
    ],
    [
      "an unknown key hashing",
      { ...ruleset([]), keyHashing: { algorithm: "sha1", salt: "s" } },
      "keyHashing",
    ],
  ])("refuses %s", (_what, input, path) => {
    const result = validateRuleset(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(new RegExp(`^${path.replace(/[[\].]/g, "\\$&")}`));
  });

  it.each([
    ["an unknown off variation", { offVariation: "maybe" }, "flags[0].offVariation"],
    [
      "an unknown operator",
      {
        rules: [
          { id: "r", clauses: [{ attribute: "a", op: "like", values: [] }], serve: { variation: "on" } },
        ],
      },
      "flags[0].rules[0].clauses[0].op",
    ],
    [
      "weights that do not sum to 100%",
      { fallthrough: { rollout: { weights: [{ variation: "on", weight: 10 }] } } },
      "flags[0].fallthrough.rollout.weights",
    ],
    [
      "a target on an unknown variation",
      { targets: [{ variation: "x", values: ["u"] }] },
      "flags[0].targets[0]",
    ],
    [
      "a sample rate above 100%",
      { shadow: { sampleRate: 100_001, stickiness: "user", timeoutMs: 1 } },
      "flags[0].shadow.sampleRate",
    ],
    ["a kind that does not exist", { kind: "date" }, "flags[0].kind"],
    ["no variations", { variations: [] }, "flags[0].variations"],
    ["a variation without a key", { variations: [{ value: true }] }, "flags[0].variations"],
    ["an empty key", { key: "" }, "flags[0].key"],
    ["an on that is not a boolean", { on: "yes" }, "flags[0].on"],
    ["a missing salt", { salt: undefined }, "flags[0].salt"],
    ["a fallthrough that serves nothing", { fallthrough: {} }, "flags[0].fallthrough"],
    [
      "a fallthrough to an unknown variation",
      { fallthrough: { variation: "x" } },
      "flags[0].fallthrough.variation",
    ],
    [
      "a negative weight",
      {
        fallthrough: {
          rollout: {
            weights: [
              { variation: "on", weight: 100_001 },
              { variation: "off", weight: -1 },
            ],
          },
        },
      },
      "flags[0].fallthrough.rollout.weights[1]",
    ],
    [
      "a bucketBy that is not a string",
      { fallthrough: { rollout: { bucketBy: 7, weights: [{ variation: "on", weight: 100_000 }] } } },
      "flags[0].fallthrough.rollout.bucketBy",
    ],
    ["rules that are not an array", { rules: {} }, "flags[0].rules"],
    [
      "a rule without clauses",
      { rules: [{ id: "r", serve: { variation: "on" } }] },
      "flags[0].rules[0].clauses",
    ],
    [
      "a clause without values",
      { rules: [{ id: "r", clauses: [{ attribute: "a", op: "in" }], serve: { variation: "on" } }] },
      "flags[0].rules[0].clauses[0]",
    ],
    [
      "a rule serving an unknown variation",
      { rules: [{ id: "r", clauses: [], serve: { variation: "x" } }] },
      "flags[0].rules[0].serve.variation",
    ],
    [
      "a prerequisite without a flag key",
      { prerequisites: [{ variation: "on" }] },
      "flags[0].prerequisites[0]",
    ],
    [
      "a number operator given a word",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "lt", values: [5, "five"] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[1]",
    ],
    [
      "a date operator given an unparseable date",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "before", values: ["next tuesday"] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "a date operator given a date outside the calendar",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "after", values: ["2026-02-30"] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "a bad semver",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "semverGt", values: ["1.02.0"] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "a string operator given a number",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "startsWith", values: [7] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "a pattern that is not a string",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "matches", values: [true] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "a segment key that is not a string",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "segmentMatch", values: [1] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "an in value that is an object",
      {
        rules: [
          { id: "r", clauses: [{ attribute: "a", op: "in", values: [{}] }], serve: { variation: "on" } },
        ],
      },
      "flags[0].rules[0].clauses[0].values[0]",
    ],
    [
      "a variation value of the wrong kind",
      {
        variations: [
          { key: "on", value: "yes" },
          { key: "off", value: false },
        ],
      },
      "flags[0].variations[0].value",
    ],
    [
      "a duplicate variation key",
      {
        variations: [
          { key: "on", value: true },
          { key: "on", value: false },
        ],
      },
      "flags[0].variations[1].key",
    ],
    [
      "a rollout naming an unknown variation",
      { fallthrough: { rollout: { weights: [{ variation: "maybe", weight: 100_000 }] } } },
      "flags[0].fallthrough.rollout.weights[0]",
    ],
    [
      "a fractional weight",
      {
        fallthrough: {
          rollout: {
            weights: [
              { variation: "on", weight: 50_000.5 },
              { variation: "off", weight: 49_999.5 },
            ],
          },
        },
      },
      "flags[0].fallthrough.rollout.weights[0]",
    ],
    [
      "weights above 100% in total",
      {
        fallthrough: {
          rollout: {
            weights: [
              { variation: "on", weight: 60_000 },
              { variation: "off", weight: 60_000 },
            ],
          },
        },
      },
      "flags[0].fallthrough.rollout.weights",
    ],
    ["a flag version that is not a whole number", { version: 1.5 }, "flags[0].version"],
    [
      "a shadow timeout of zero",
      { shadow: { sampleRate: 1, stickiness: "user", timeoutMs: 0 } },
      "flags[0].shadow.timeoutMs",
    ],
    [
      "a shadow timeout above a minute",
      { shadow: { sampleRate: 1, stickiness: "user", timeoutMs: 60_001 } },
      "flags[0].shadow.timeoutMs",
    ],
    [
      "a fractional shadow timeout",
      { shadow: { sampleRate: 1, stickiness: "user", timeoutMs: 2.5 } },
      "flags[0].shadow.timeoutMs",
    ],
    [
      "a missing shadow timeout",
      { shadow: { sampleRate: 1, stickiness: "user" } },
      "flags[0].shadow.timeoutMs",
    ],
    [
      "a negative sample rate",
      { shadow: { sampleRate: -1, stickiness: "user", timeoutMs: 1 } },
      "flags[0].shadow.sampleRate",
    ],
    [
      "a fractional sample rate",
      { shadow: { sampleRate: 0.5, stickiness: "user", timeoutMs: 1 } },
      "flags[0].shadow.sampleRate",
    ],
    [
      "an unknown shadow stickiness",
      { shadow: { sampleRate: 1, stickiness: "session", timeoutMs: 1 } },
      "flags[0].shadow.stickiness",
    ],
    [
      "a shadow candidate that is not a variation",
      { shadow: { sampleRate: 1, stickiness: "call", timeoutMs: 1, candidateVariation: "v2" } },
      "flags[0].shadow.candidateVariation",
    ],
    ["a shadow rule that is not an object", { shadow: 5 }, "flags[0].shadow"],
    [
      "a pattern's input bound above the guard's cap",
      {
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "a", op: "matches", values: ["^a"], maxInput: [1_000_000] }],
            serve: { variation: "on" },
          },
        ],
      },
      "flags[0].rules[0].clauses[0].maxInput[0]",
    ],
  ])("names the field for %s", (_what, flag, path) => {
    const result = broken(flag);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.startsWith(path)).toBe(true);
  });

  it("refuses duplicate flag keys", () => {
    const result = validateRuleset(ruleset([booleanFlag("f"), booleanFlag("f")]));
    expect(!result.ok && result.errors[0]).toBe("flags[1].key: duplicate flag f");
  });

  it("refuses duplicate segment keys and a prerequisite on a variation its flag does not have", () => {
    const twice = validateRuleset(
      ruleset(
        [],
        [
          { key: "s", version: 1 },
          { key: "s", version: 2 },
        ],
      ),
    );
    expect(!twice.ok && twice.errors[0]).toBe("segments[1].key: duplicate segment s");
    const prerequisite = validateRuleset(
      ruleset([
        booleanFlag("a"),
        booleanFlag("b", { prerequisites: [{ flagKey: "a", variation: "maybe" }] }),
      ]),
    );
    expect(!prerequisite.ok && prerequisite.errors[0]).toBe(
      "flags[1].prerequisites[0].variation: a has no variation maybe",
    );
  });

  it("accepts every operator with the values it understands, and a full shadow rule", () => {
    const clauses = [
      ["in", ["x", 1, true]],
      ["lt", [5, "5.5"]],
      ["before", ["2026-01-01", "2026-01-01T00:00:00+02:00", 1767225600000]],
      ["semverLt", ["1.2.3-rc.1+b"]],
      ["matches", ["^a"]],
    ].map(([op, values]) => ({ attribute: "a", op, values }));
    const flag = booleanFlag("f", {
      rules: [{ id: "r", clauses: clauses as never, serve: { variation: "on" } }],
      shadow: {
        sampleRate: 100_000,
        stickiness: "user",
        bucketBy: "org",
        segment: "s",
        timeoutMs: 60_000,
        candidateVariation: "on",
        swapRoles: true,
      },
    });
    expect(validateRuleset(ruleset([flag])).ok).toBe(true);
  });
});

describe("the regular-expression guard", () => {
  it.each(["(a+)+$", "(a*)*b", "(x+x+)+y", "(\\w+\\s?)+$", "(a|a)+\\1"])("refuses %s", (pattern) => {
    expect(() => safeRegExp(pattern)).toThrow(UnsafePatternError);
  });

  it("refuses patterns longer than 256 characters", () => {
    expect(() => safeRegExp("a".repeat(257))).toThrow(UnsafePatternError);
  });

  it("does not match inputs longer than 1,024 characters", () => {
    const r = compileRuleset(
      ruleset([
        booleanFlag("f", {
          fallthrough: { variation: "off" },
          rules: [
            {
              id: "r",
              clauses: [{ attribute: "s", op: "matches", values: ["^a+$"] }],
              serve: { variation: "on" },
            },
          ],
        }),
      ]),
    );
    if (!r.ok) throw new Error("compile");
    expect(evaluate(r.ruleset, "f", { s: "a".repeat(1024) }, false).value).toBe(true);
    expect(evaluate(r.ruleset, "f", { s: "a".repeat(1025) }, false).value).toBe(false);
  });
});
