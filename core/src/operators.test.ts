import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toTime } from "./dates.js";
import type { Clause, EvaluationContext } from "./model.js";
import { compareSemver, compileClause, compileClauses, parseSemver, toNumber } from "./operators.js";
import { safePattern, UnsafePatternError } from "./safe-regexp.js";

const noSegments = () => () => false;
const match = (clause: Clause, context: EvaluationContext) => compileClause(clause, noSegments)(context);
const on = (op: Clause["op"], values: Clause["values"], value: unknown, negate = false) =>
  match({ attribute: "a", op, values, negate }, { a: value });

describe("string operators", () => {
  it("in / notIn test membership with strict types", () => {
    expect(on("in", ["x", "y"], "y")).toBe(true);
    expect(on("in", ["x"], "z")).toBe(false);
    expect(on("in", [1, 2], 2)).toBe(true);
    expect(on("in", [1, 2], "2")).toBe(false);
    expect(on("in", [true], true)).toBe(true);
    expect(on("notIn", ["x"], "z")).toBe(true);
    expect(on("notIn", ["x"], "x")).toBe(false);
  });

  it("startsWith, endsWith and contains test strings against any value", () => {
    expect(on("startsWith", ["ad", "ro"], "root")).toBe(true);
    expect(on("startsWith", ["ad"], "bad")).toBe(false);
    expect(on("endsWith", ["@corp.example"], "ann@corp.example")).toBe(true);
    expect(on("endsWith", ["@corp.example"], "ann@corp.example.evil")).toBe(false);
    expect(on("contains", ["bot"], "crawlerbot/2")).toBe(true);
    expect(on("contains", ["bot"], "human")).toBe(false);
    expect(on("startsWith", ["4"], 42)).toBe(false);
  });

  it("matches tests a regular expression, in Unicode mode", () => {
    expect(on("matches", ["^[a-z]+@corp\\.example$"], "ann@corp.example")).toBe(true);
    expect(on("matches", ["^[a-z]+@corp\\.example$"], "Ann@corp.example")).toBe(false);
    expect(on("matches", ["^.$"], "😀")).toBe(true);
  });
});

describe("number operators", () => {
  it("compare numbers, and numeric strings as numbers", () => {
    expect(on("lt", [18], 17)).toBe(true);
    expect(on("lt", [18], 18)).toBe(false);
    expect(on("lte", [18], 18)).toBe(true);
    expect(on("gt", [90], "91")).toBe(true);
    expect(on("gt", [90], " 91 ")).toBe(true);
    expect(on("gte", [90], "90.0")).toBe(true);
    expect(on("gte", ["90"], 90)).toBe(true);
    expect(on("lt", [10], "1e0")).toBe(true);
  });

  it("refuse what is not a finite number", () => {
    for (const v of ["", "  ", "lots", Number.NaN, Number.POSITIVE_INFINITY, true, {}, "12abc"]) {
      expect(on("lt", [1e9], v)).toBe(false);
      expect(on("gte", [-1e9], v)).toBe(false);
    }
    expect(toNumber("0x10")).toBe(16);
    expect(toNumber(null)).toBeUndefined();
  });
});

describe("date operators", () => {
  const newYear = "2024-01-01T00:00:00Z";
  it("compare ISO strings, epoch milliseconds and Date objects", () => {
    expect(on("before", [newYear], "2023-12-31T23:59:59Z")).toBe(true);
    expect(on("before", [newYear], "2023-12-31")).toBe(true);
    expect(on("before", [newYear], newYear)).toBe(false);
    expect(on("after", [newYear], Date.UTC(2024, 0, 1, 0, 0, 1))).toBe(true);
    expect(on("after", [Date.UTC(2024, 0, 1)], "2024-01-01T00:00:01+00:00")).toBe(true);
    expect(on("after", [newYear], new Date(Date.UTC(2025, 0, 1)))).toBe(true);
    expect(on("before", [newYear], "2024-01-01T01:00:00+02:00")).toBe(true);
  });

  it("refuse what is not a date", () => {
    expect(on("before", [newYear], "yesterday")).toBe(false);
    expect(on("after", [newYear], true)).toBe(false);
    expect(toTime(Number.NaN)).toBeUndefined();
  });
});

describe("semver operators", () => {
  it("follow semver 2.0 precedence, prereleases included", () => {
    const ordered = [
      "1.0.0-0",
      "1.0.0-9",
      "1.0.0-10",
      "1.0.0-0a",
      "1.0.0-Zeta",
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0-rc.1.0",
      "1.0.0-rc.a",
      "1.0.0-rc.a-b",
      "1.0.0",
      "1.0.1",
      "1.2.0",
      "1.10.0",
      "2.0.0",
    ];
    const parsed = ordered.map((v) => parseSemver(v));
    for (let i = 0; i < parsed.length; i++) {
      for (let j = 0; j < parsed.length; j++) {
        expect(compareSemver(parsed[i]!, parsed[j]!)).toBe(Math.sign(i - j));
      }
    }
  });

  it("ignore build metadata, accept a v prefix and fill missing parts with zero", () => {
    expect(on("semverEq", ["1.0.0"], "1.0.0+build.7")).toBe(true);
    expect(on("semverEq", ["1.0.0"], "v1.0.0")).toBe(true);
    expect(on("semverEq", ["2.0.0"], "2")).toBe(true);
    expect(on("semverLt", ["2.0.0"], "2.0.0-rc.1")).toBe(true);
    expect(on("semverGt", ["1.9.0"], "1.10.0")).toBe(true);
    expect(on("semverGt", ["1.9.0"], "1.9.0-rc.1")).toBe(false);
  });

  it("compare equal whatever the build metadata, and with a huge version as well-formed as any", () => {
    const [a, b] = [parseSemver("1.0.0-rc.1+build.1"), parseSemver("1.0.0-rc.1+exp.sha.5114f85")];
    expect(compareSemver(a!, b!)).toBe(0);
    expect(parseSemver(`1.0.0-${"x".repeat(300)}`)).toBeUndefined();
    expect(parseSemver("9007199254740993.0.0")).toBeUndefined();
  });

  it("refuse what is not a version", () => {
    const malformed = [
      "01.0.0",
      "1.01.0",
      "1.0.0-01",
      "1.0.0-alpha..1",
      "1.0.0-alpha.",
      "1.0.0+",
      "1.0.0+a..b",
      "1.0.0-al_pha",
    ];
    for (const v of malformed) expect(parseSemver(v), v).toBeUndefined();
    for (const v of ["banana", "1.2.3.4", "", 3, "1.0.0-", null, ...malformed]) {
      expect(on("semverEq", ["1.0.0"], v)).toBe(false);
      expect(on("semverGt", ["0.0.0"], v)).toBe(false);
    }
  });
});

describe("every clause", () => {
  it("is inverted by negate, but a missing attribute never matches (except notIn)", () => {
    expect(on("in", ["DE"], "FR", true)).toBe(true);
    expect(on("in", ["DE"], "DE", true)).toBe(false);
    expect(match({ attribute: "a", op: "in", values: ["DE"], negate: true }, {})).toBe(false);
    expect(match({ attribute: "a", op: "lt", values: [5], negate: true }, { a: null })).toBe(false);
    expect(match({ attribute: "a", op: "notIn", values: ["DE"] }, {})).toBe(true);
    expect(match({ attribute: "a", op: "notIn", values: ["DE"], negate: true }, {})).toBe(false);
  });

  /** Per operator: clause values, a value that matches, one that does not, one the operator cannot read. */
  const cases: [Clause["op"], Clause["values"], unknown, unknown, unknown][] = [
    ["in", ["DE"], "DE", "FR", { country: "DE" }],
    ["notIn", ["DE"], "FR", "DE", undefined],
    ["startsWith", ["ad"], "admin", "bad", 42],
    ["endsWith", ["@corp.example"], "a@corp.example", "a@evil.example", 42],
    ["contains", ["bot"], "crawlerbot", "human", true],
    ["matches", ["^v\\d+$"], "v12", "x12", 12],
    ["lt", [10], 9, 10, "ten"],
    ["lte", [10], 10, 11, "ten"],
    ["gt", [10], 11, 10, "ten"],
    ["gte", [10], 10, 9, "ten"],
    ["before", ["2026-01-01"], "2025-12-31", "2026-01-01", "soon"],
    ["after", ["2026-01-01"], "2026-01-02", "2026-01-01", "soon"],
    ["semverEq", ["1.2.3"], "1.2.3+b", "1.2.4", "one"],
    ["semverLt", ["1.2.3"], "1.2.3-rc.1", "1.2.3", "one"],
    ["semverGt", ["1.2.3"], "1.10.0", "1.2.3", "one"],
  ];

  it.each(cases)(
    "%s is inverted by negate; a missing attribute never matches, negated or not",
    (op, values, yes, no, unreadable) => {
      expect(on(op, values, yes)).toBe(true);
      expect(on(op, values, yes, true)).toBe(false);
      expect(on(op, values, no)).toBe(false);
      expect(on(op, values, no, true)).toBe(true);
      expect(on(op, values, [no, yes], true)).toBe(op === "notIn"); // any element matching makes it match
      // A value the operator cannot read is not a match, so negated it is one (as in LaunchDarkly).
      if (unreadable !== undefined) {
        expect(on(op, values, unreadable)).toBe(false);
        expect(on(op, values, unreadable, true)).toBe(true);
      }
      for (const context of [{}, { a: null }, { a: undefined }]) {
        const missing = (negate: boolean) => match({ attribute: "a", op, values, negate }, context);
        // notIn alone is satisfied by a missing attribute: nothing is in the list (negated, it is `in`).
        expect(missing(false)).toBe(op === "notIn");
        expect(missing(true)).toBe(false);
      }
    },
  );

  it("segmentMatch negated matches everyone outside the segments, a context without a key included", () => {
    const inPilots = (key: string) => (c: EvaluationContext) => key === "pilots" && c.targetingKey === "ann";
    const notPilot = compileClause(
      { attribute: "", op: "segmentMatch", values: ["pilots"], negate: true },
      inPilots,
    );
    expect(notPilot({ targetingKey: "ann" })).toBe(false);
    expect(notPilot({ targetingKey: "bob" })).toBe(true);
    expect(notPilot({})).toBe(true);
  });

  it("matches an array attribute if any element does; notIn if none is listed", () => {
    expect(on("in", ["DE"], ["US", "DE"])).toBe(true);
    expect(on("in", ["DE"], [])).toBe(false);
    expect(on("startsWith", ["be"], ["alpha", "beta"])).toBe(true);
    expect(on("gt", [10], [1, 2, 30])).toBe(true);
    expect(on("notIn", ["US"], ["DE", "FR"])).toBe(true);
    expect(on("notIn", ["US"], ["DE", "US"])).toBe(false);
    expect(on("in", ["DE"], ["US", "DE"], true)).toBe(false);
  });

  it("reads dotted paths through nested objects", () => {
    const clause: Clause = { attribute: "device.os.name", op: "in", values: ["ios"] };
    expect(match(clause, { device: { os: { name: "ios" } } })).toBe(true);
    expect(match(clause, { device: { os: "ios" } })).toBe(false);
    expect(match(clause, { device: null })).toBe(false);
    expect(match(clause, {})).toBe(false);
  });

  it("segmentMatch asks the segment test for each key, and can be negated", () => {
    const inPilots = (key: string) => () => key === "pilots";
    const clause: Clause = { attribute: "targetingKey", op: "segmentMatch", values: ["other", "pilots"] };
    expect(compileClause(clause, inPilots)({})).toBe(true);
    expect(compileClause({ ...clause, values: ["other"] }, inPilots)({})).toBe(false);
    expect(compileClause({ ...clause, negate: true }, inPilots)({})).toBe(false);
  });

  it("are AND-ed within a rule", () => {
    const both = compileClauses(
      [
        { attribute: "a", op: "in", values: [1] },
        { attribute: "b", op: "in", values: [2] },
      ],
      noSegments,
    );
    expect(both({ a: 1, b: 2 })).toBe(true);
    expect(both({ a: 1, b: 3 })).toBe(false);
  });

  it("hashes the context key for in on targetingKey when given a key lookup", () => {
    const hashed = compileClause(
      { attribute: "targetingKey", op: "in", values: ["#alice"] },
      noSegments,
      (raw) => `#${raw}`,
    );
    expect(hashed({ targetingKey: "alice" })).toBe(true);
    expect(hashed({ targetingKey: "#alice" })).toBe(false);
  });
});

describe("the regex guard", () => {
  it.each([
    "(a+)+$",
    "(a*)*b",
    "^(?:a+)+$",
    "(x+x+)+y",
    "(\\w+\\s?)+$",
    "^(a|aa)+$",
    "^(a|a)*$",
    "^(\\w|\\d)+$",
    "((a|b))*c",
    "(.*){1,32}x",
    "([a-z])\\1",
    "(?<x>a)\\k<x>",
    `${"\\d*".repeat(8)}x`,
    "(a{1,5})+",
    "(a+){2,}",
    "(?=a+)+",
    "(a|a?)+",
    "(\\s*,\\s*)*$",
    "[\\]]+(a+)+",
    "((a+))+",
    "(?:[a-z]+\\.)+com",
    "\\1",
  ])("refuses %s", (pattern) => {
    expect(() => safePattern(pattern)).toThrow(UnsafePatternError);
  });

  it("answers any string with a pattern or an UnsafePatternError, nothing else", () => {
    const regexish = fc.string({ unit: fc.constantFrom(..."()[]{}|*+?\\\\.,^$<>=!:0123ak-") });
    fc.assert(
      fc.property(fc.oneof(regexish, fc.string()), (pattern) => {
        try {
          expect(safePattern(pattern).maxInput).toBeGreaterThanOrEqual(32);
        } catch (e) {
          expect(e).toBeInstanceOf(UnsafePatternError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses invalid and over-long patterns", () => {
    expect(() => safePattern("(a")).toThrow(UnsafePatternError);
    expect(() => safePattern("a".repeat(257))).toThrow(UnsafePatternError);
  });

  it.each([
    ["^[a-z]+@corp\\.example$", 1024],
    ["Chrome/(\\d+)", 1024],
    ["^(foo|bar)$", 1024],
    ["(?:ab)+", 1024],
    ["^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$", 1024],
    ["^https?://[^/]+/.*$", 256],
    ["^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", 64],
  ])("admits %s, testing values of up to %i characters", (pattern, bound) => {
    expect(safePattern(pattern).maxInput).toBe(bound);
  });

  it("never tests a value longer than the pattern's bound", () => {
    expect(on("matches", ["^a+$"], "a".repeat(1024))).toBe(true);
    expect(on("matches", ["^a+$"], "a".repeat(1025))).toBe(false);
    expect(on("matches", ["^[a-z0-9.]+@[a-z0-9.]+\\.[a-z]{2,}$"], `${"a".repeat(60)}@x.io`)).toBe(false);
    // The bound holds per element of an array, and a value too long to test is a non-match (so negated,
    // like any value the operator cannot read, it matches).
    expect(on("matches", ["^a+$"], ["a".repeat(1025), "b"])).toBe(false);
    expect(on("matches", ["^a+$"], ["a".repeat(1025), "aa"])).toBe(true);
    expect(on("matches", ["^a+$"], "a".repeat(1025), true)).toBe(true);
  });

  it("finishes the worst inputs for the stacked quantifiers it admits (a hang would time the test out)", () => {
    for (const pattern of [
      "\\d*\\d*x",
      "^\\d*\\d*\\d*x$",
      "^[a-z]+[a-z]+[a-z]+[a-z]+!$",
      "\\d+\\d+\\d+\\d+\\d+x",
    ]) {
      const { maxInput } = safePattern(pattern);
      const worst = pattern.startsWith("^[") ? "a" : "1";
      expect(on("matches", [pattern], worst.repeat(maxInput))).toBe(false);
      expect(on("matches", [pattern], worst.repeat(100_000))).toBe(false);
    }
  });
});
