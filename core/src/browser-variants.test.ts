/**
 * The browser variants (core's package.json `browser` map) against the modules they replace: the same
 * answers on everything our server publishes, and no throw on anything else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustedRuleset } from "./compile.js";
import * as browserDates from "./dates.browser.js";
import * as dates from "./dates.js";
import * as browserDelta from "./delta.browser.js";
import * as delta from "./delta.js";
import * as browserGraph from "./graph.browser.js";
import * as graph from "./graph.js";
import type { Ruleset, RulesetDelta } from "./model.js";
import * as browserShadow from "./shadow.browser.js";
import { shouldShadow } from "./shadow.js";
import { booleanFlag, ruleset } from "./test-rulesets.js";

const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0"));

/** ISO dates and date-times, in range and just out of it (month 13, day 31 in April, hour 24, zone +24). */
const isoText = fc
  .tuple(
    digits(4, 9999),
    digits(2, 13),
    digits(2, 32),
    fc.option(
      fc.tuple(
        fc.constantFrom("T", "t", " "),
        digits(2, 24),
        digits(2, 60),
        fc.option(
          fc.tuple(
            digits(2, 60),
            fc.option(fc.tuple(fc.constantFrom(".", ","), fc.stringMatching(/^\d{1,10}$/))),
          ),
        ),
      ),
    ),
    fc.option(
      fc.oneof(
        fc.constantFrom("Z", "z"),
        fc.tuple(
          fc.constantFrom("+", "-"),
          digits(2, 25),
          fc.constantFrom("", ":"),
          fc.option(digits(2, 60)),
        ),
      ),
    ),
    fc.constantFrom("", " ", "\t"),
  )
  .map(([y, mo, d, time, zone, pad]) => {
    let text = `${pad}${y}-${mo}-${d}`;
    if (time) {
      const [sep, h, mi, rest] = time;
      text += `${sep}${h}:${mi}`;
      if (rest) text += `:${rest[0]}${rest[1] ? rest[1].join("") : ""}`;
    }
    if (typeof zone === "string") text += zone;
    else if (zone) text += `${zone[0]}${zone[1]}${zone[3] === null ? "" : `${zone[2]}${zone[3]}`}`;
    return text + pad;
  });

describe("dates.browser.ts", () => {
  it("reads every ISO date, date-time and zone as dates.ts does, and refuses what it refuses", () => {
    fc.assert(
      fc.property(isoText, (text) => {
        expect(browserDates.parseIsoDate(text)).toBe(dates.parseIsoDate(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it("agrees on numbers, Dates and anything else, and never throws", () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.date({ noInvalidDate: false }),
      fc.string(),
      fc.anything(),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(browserDates.toTime(v)).toBe(dates.toTime(v));
      }),
      { numRuns: 5_000 },
    );
  });

  it("gives the pinned answers of dates.ts's own examples", () => {
    const newYear = Date.UTC(2026, 0, 1);
    expect(browserDates.toTime("2025-12-31T19:00:00-0500")).toBe(newYear);
    expect(browserDates.toTime("2026-01-01T05:30:00+05:30")).toBe(newYear);
    expect(browserDates.toTime("2026-01-01t00:00:00.123456789z")).toBe(newYear + 123);
    expect(browserDates.toTime("0099-06-01")).toBe(new Date("0099-06-01T00:00:00Z").getTime());
    for (const text of [
      "2026-02-29",
      "2026-04-31",
      "2026-01-01T24:00:00",
      "2026-01-01T00:00:00+25:00",
      "Jan 1 2026",
    ]) {
      expect(browserDates.toTime(text), text).toBeUndefined();
    }
    expect(browserDates.toTime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });
});

const sorted = (shape: graph.GraphShape) => ({
  inCycle: [...shape.inCycle].sort(),
  depth: [...shape.depth].sort(([a], [b]) => (a < b ? -1 : 1)),
});

/** Graphs on a few nodes, cycles and self-loops included, and edges to nodes that do not exist. */
const smallGraph = fc
  .array(
    fc.tuple(
      fc.constantFrom("a", "b", "c", "d", "e", "f", "g"),
      fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "x"), { maxLength: 4 }),
    ),
    { maxLength: 7 },
  )
  .map((entries) => new Map(entries));

const chain = (n: number, cyclic = false) =>
  new Map(Array.from({ length: n }, (_, i) => [`n${i}`, i + 1 < n ? [`n${i + 1}`] : cyclic ? ["n0"] : []]));

describe("graph.browser.ts", () => {
  it("finds the cycles and depths graph.ts finds, on any small graph", () => {
    fc.assert(
      fc.property(smallGraph, (edges) => {
        expect(sorted(browserGraph.graphShape(edges))).toEqual(sorted(graph.graphShape(edges)));
      }),
      { numRuns: 5_000 },
    );
  });

  it("agrees on chains and cycles far longer than compile accepts", () => {
    for (const edges of [chain(200), chain(200, true), chain(499)]) {
      expect(sorted(browserGraph.graphShape(edges))).toEqual(sorted(graph.graphShape(edges)));
    }
  });

  it("does not overflow the stack on a 10,000-long chain or cycle: past its bound, all counts as too deep", () => {
    const line = browserGraph.graphShape(chain(10_000));
    expect(line.depth.get("n0")).toBeGreaterThan(32);
    expect(line.depth.get("n9999")).toBe(0);
    const ring = browserGraph.graphShape(chain(10_000, true));
    expect(Math.min(...ring.depth.values())).toBeGreaterThan(32);
  });
});

const base = ruleset([booleanFlag("a"), booleanFlag("b")], [{ key: "s", version: 1, included: ["x"] }]);
const keys = fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 });
/** Deltas as our server builds them, on or off the version held. */
const serverDelta = fc.record({
  formatVersion: fc.constantFrom(1, 2),
  environment: fc.constantFrom("test", "prod"),
  fromVersion: fc.integer({ min: 0, max: 3 }),
  version: fc.integer({ min: 0, max: 4 }),
  flags: fc.option(
    fc.record(
      { upsert: keys.map((ks) => ks.map((k) => booleanFlag(k, { on: false }))), remove: keys },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
  segments: fc.option(
    fc.record(
      { upsert: keys.map((ks) => ks.map((key) => ({ key, version: 2 }))), remove: keys },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
}) as fc.Arbitrary<RulesetDelta>;

describe("delta.browser.ts", () => {
  it("applies, and refuses, every delta our server builds as delta.ts does", () => {
    fc.assert(
      fc.property(serverDelta, (d) => {
        expect(browserDelta.applyDelta(base, d)).toEqual(delta.applyDelta(base, d));
      }),
      { numRuns: 3_000 },
    );
  });

  it("never throws on a corrupt delta, and applies none that delta.ts would refuse for its versions", () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const d = junk as RulesetDelta;
        const out = browserDelta.applyDelta(base as Ruleset, d);
        if (out) expect(d.fromVersion === base.version && d.version > d.fromVersion).toBe(true);
      }),
      { numRuns: 3_000 },
    );
    for (const d of [
      null,
      7,
      { formatVersion: 1, environment: "test", fromVersion: 1, version: 2, flags: { upsert: 5 } },
    ]) {
      expect(browserDelta.applyDelta(base, d as never)).toBeUndefined();
    }
  });
});

describe("shadow.browser.ts", () => {
  it("compiles no shadow rule and samples no call: the browser SDK runs no shadow paths", () => {
    const flag = booleanFlag("a", { shadow: { sampleRate: 100_000, stickiness: "user", timeoutMs: 50 } });
    const compiled = compileTrustedRuleset(ruleset([flag]));
    if (!compiled.ok) throw new Error(compiled.errors.join("; "));
    expect(browserShadow.compileShadow(flag, compiled.ruleset)).toBeNull();
    expect(shouldShadow(compiled.ruleset, "a", { targetingKey: "u" })).toBe(true); // the Node SDK's answer
    expect(browserShadow.shouldShadow(compiled.ruleset, "a", { targetingKey: "u" })).toBe(false);
  });
});
