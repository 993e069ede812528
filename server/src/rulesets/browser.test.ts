import { type Flag, type Ruleset, toBrowserRuleset } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { ClauseSchema } from "../flags/rule-schemas.js";
import { createBrowserRulesets } from "./browser.js";
import { RulesetSchema } from "./schema.js";

const variations = [
  { key: "on", value: true },
  { key: "off", value: false },
];
const flag = (key: string, extra: Partial<Flag> = {}): Flag => ({
  key,
  kind: "boolean",
  variations,
  version: 1,
  salt: key,
  on: true,
  offVariation: "off",
  fallthrough: { variation: "on" },
  clientVisible: true,
  targets: [{ variation: "off", values: [`${key}-vip`] }],
  ...extra,
});
const ruleset = (flags: Flag[]): Ruleset => ({
  formatVersion: 1,
  environment: "e",
  version: 1,
  flags,
  segments: [
    { key: "used", version: 1, included: ["alice"] },
    { key: "unused", version: 1, included: ["bob"] },
  ],
});

describe("the cached browser ruleset builder", () => {
  it("gives exactly what core's toBrowserRuleset gives, before and after changes", () => {
    const build = createBrowserRulesets();
    const a = flag("a", {
      rules: [
        {
          id: "r",
          clauses: [{ attribute: "k", op: "segmentMatch", values: ["used"] }],
          serve: { variation: "on" },
        },
      ],
    });
    const first = ruleset([a, flag("b"), flag("hidden", { clientVisible: false })]);
    expect(build(first, "salt")).toEqual(toBrowserRuleset(first, "salt"));
    const second = {
      ...first,
      version: 2,
      flags: [a, flag("b", { on: false, targets: [{ variation: "on", values: ["new-vip"] }] })],
    };
    expect(build(second, "salt")).toEqual(toBrowserRuleset(second, "salt"));
    expect(build(second, "other-salt")).toEqual(toBrowserRuleset(second, "other-salt"));
  });
});

const matching = (key: string, patterns: string[]) =>
  flag(key, {
    rules: [
      {
        id: "r",
        clauses: [{ attribute: "email", op: "matches", values: patterns }],
        serve: { variation: "on" },
      },
    ],
  });
const clauseOf = (r: Ruleset) => r.flags[0]?.rules?.[0]?.clauses[0];

describe("matches patterns in the browser-safe ruleset", () => {
  const safe = "^[a-z]+@corp\\.example$";

  it("carry each pattern's bound from the server's guard (0: refused), so browsers ship no guard", () => {
    const source = ruleset([matching("by-email", [safe, "^(a+)+$"])]);
    expect(clauseOf(createBrowserRulesets()(source, "salt"))?.maxInput).toEqual([1024, 0]);
    expect(clauseOf(source)?.maxInput).toBeUndefined();
  });

  it("fit the published wire schema, while admin writes still cannot set a bound", () => {
    const browser = createBrowserRulesets()(ruleset([matching("by-email", [safe])]), "salt");
    expect(RulesetSchema.safeParse(browser).success).toBe(true);
    expect(ClauseSchema.safeParse(clauseOf(browser)).success).toBe(false);
    expect(ClauseSchema.safeParse(clauseOf(ruleset([matching("by-email", [safe])]))).success).toBe(true);
  });
});
