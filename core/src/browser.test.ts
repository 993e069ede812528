import { describe, expect, it } from "vitest";
import { toBrowserFlag, toBrowserRuleset, toBrowserSegment } from "./browser.js";
import { hashKey } from "./bucket.js";
import { type CompiledRuleset, compileRuleset } from "./compile.js";
import { evaluate } from "./evaluate.js";
import type { Flag, Ruleset } from "./model.js";
import { booleanFlag, percentOn, ruleset } from "./test-rulesets.js";

function compile(r: Ruleset): CompiledRuleset {
  const result = compileRuleset(r);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

const segmentRule = (id: string, segment: string): NonNullable<Flag["rules"]>[number] => ({
  id,
  clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: [segment] }],
  serve: { variation: "on" },
});

const pilots = Array.from({ length: 1000 }, (_, i) => `pilot-${i}@example.com`);
const source = ruleset(
  [
    booleanFlag("named", {
      clientVisible: true,
      fallthrough: { variation: "off" },
      targets: [{ variation: "on", values: ["alice@example.com"] }],
      rules: [
        {
          id: "by-key",
          clauses: [{ attribute: "targetingKey", op: "in", values: ["erin@example.com"] }],
          serve: { variation: "on" },
        },
        segmentRule("cohort", "nested"),
      ],
    }),
    booleanFlag("ramp", {
      clientVisible: true,
      rules: [segmentRule("pilots", "pilots")],
      fallthrough: percentOn(20),
    }),
    booleanFlag("server-only", { rules: [segmentRule("vip", "vip-cohort")] }),
  ],
  [
    { key: "pilots", version: 1, included: pilots, excluded: ["mallory@example.com"] },
    {
      key: "nested",
      version: 1,
      rules: [
        { clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["pilots"] }] },
        { clauses: [{ attribute: "targetingKey", op: "in", values: ["frank@example.com"] }] },
      ],
    },
    { key: "vip-cohort", version: 1, included: ["vip@example.com"] },
  ],
);
const browser = toBrowserRuleset(source, "env-salt");
const json = JSON.stringify(browser);

describe("toBrowserRuleset", () => {
  it("carries no raw pilot-user key anywhere in its JSON", () => {
    for (const raw of [
      ...pilots,
      "alice@example.com",
      "erin@example.com",
      "frank@example.com",
      "mallory@example.com",
      "vip@example.com",
    ]) {
      expect(json).not.toContain(raw);
    }
    expect(json).not.toContain("@example.com");
  });

  it("keeps only client-visible flags and the segments they use, nested ones included", () => {
    expect(browser.flags.map((f) => f.key)).toEqual(["named", "ramp"]);
    expect(browser.segments.map((s) => s.key).sort()).toEqual(["nested", "pilots"]);
    expect(browser.keyHashing).toEqual({ algorithm: "murmur3x2-64", salt: "env-salt" });
  });

  it("decides exactly like the server ruleset, for pilot users and everyone else", () => {
    const server = compile(source);
    const client = compile(browser);
    const users = [
      ...pilots,
      "alice@example.com",
      "erin@example.com",
      "frank@example.com",
      "mallory@example.com",
      ...Array.from({ length: 2000 }, (_, i) => `user-${i}`),
    ];
    let pilotHits = 0;
    for (const key of users) {
      for (const flag of ["named", "ramp"]) {
        const expected = evaluate(server, flag, { targetingKey: key }, false);
        expect(evaluate(client, flag, { targetingKey: key }, false)).toEqual(expected);
        if (expected.reason === "TARGETING_MATCH") pilotHits++;
      }
    }
    expect(pilotHits).toBeGreaterThan(2000);
  });

  it("hashes flag and segment keys the same way one at a time (for cached builders)", () => {
    const flag = toBrowserFlag(source.flags[0] as Flag, "env-salt");
    expect(flag.targets?.[0]?.values).toEqual([hashKey("env-salt", "alice@example.com")]);
    expect(flag).toEqual(browser.flags[0]);
    const segment = toBrowserSegment(source.segments[0] as (typeof source.segments)[number], "env-salt");
    expect(segment.excluded).toEqual([hashKey("env-salt", "mallory@example.com")]);
  });

  it("does not change the ruleset it was given", () => {
    expect(source.segments[0]?.included?.[0]).toBe("pilot-0@example.com");
    expect(source.flags[0]?.targets?.[0]?.values).toEqual(["alice@example.com"]);
  });
});
