import { describe, expect, it } from "vitest";
import { toBrowserRuleset } from "./browser.js";
import { type CompiledRuleset, compileRuleset, compileTrustedRuleset, MAX_DEPTH } from "./compile.js";
import { applyDelta } from "./delta.js";
import { evaluate, evaluateAll } from "./evaluate.js";
import type { Clause, Flag, Operator, Rule, Ruleset } from "./model.js";
import { shouldShadow } from "./shadow.js";
import { booleanFlag, percentOn, ruleset } from "./test-rulesets.js";

function compile(r: Ruleset): CompiledRuleset {
  const result = compileRuleset(r);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.ruleset;
}

/** A rule serving `on` when `attribute` `op` `values`. */
function rule(
  id: string,
  attribute = "plan",
  op: Operator = "in",
  values: (string | number)[] = ["pro"],
): Rule {
  return { id, clauses: [{ attribute, op, values }], serve: { variation: "on" } };
}

const keys = (n: number, prefix = "user") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe("rollouts", () => {
  it("split 100,000 users within ±1% of the configured percentage", () => {
    for (const percent of [5, 20, 50]) {
      const r = compile(ruleset([booleanFlag("f", { fallthrough: percentOn(percent) })]));
      const on = keys(100_000).filter((k) => evaluate(r, "f", { targetingKey: k }, false).value).length;
      expect(Math.abs(on / 1000 - percent)).toBeLessThanOrEqual(1);
    }
  });

  it("ramp up monotonically: everyone in at 5% stays in at 10% and 50%", () => {
    const at = (percent: number) => {
      const r = compile(ruleset([booleanFlag("f", { fallthrough: percentOn(percent) })]));
      return new Set(keys(20_000).filter((k) => evaluate(r, "f", { targetingKey: k }, false).value));
    };
    const [five, ten, fifty] = [at(5), at(10), at(50)];
    for (const k of five) expect(ten.has(k)).toBe(true);
    for (const k of ten) expect(fifty.has(k)).toBe(true);
    expect(five.size).toBeLessThan(ten.size);
  });

  it("pick different users for two flags at the same percentage (per-flag salt)", () => {
    const r = compile(
      ruleset([
        booleanFlag("a", { fallthrough: percentOn(20) }),
        booleanFlag("b", { fallthrough: percentOn(20) }),
      ]),
    );
    const inA = keys(10_000).filter((k) => evaluate(r, "a", { targetingKey: k }, false).value);
    const both = inA.filter((k) => evaluate(r, "b", { targetingKey: k }, false).value);
    expect(both.length / inA.length).toBeLessThan(0.3);
  });
});

describe("prerequisites", () => {
  it("detect cycles at compile time and serve the default", () => {
    const r = compile(
      ruleset([
        booleanFlag("a", { prerequisites: [{ flagKey: "b", variation: "on" }] }),
        booleanFlag("b", { prerequisites: [{ flagKey: "c", variation: "on" }] }),
        booleanFlag("c", { prerequisites: [{ flagKey: "a", variation: "on" }] }),
        booleanFlag("outside", { prerequisites: [{ flagKey: "a", variation: "on" }] }),
      ]),
    );
    expect(evaluate(r, "a", {}, true)).toMatchObject({ value: true, reason: "ERROR", errorCode: "GENERAL" });
    expect(evaluate(r, "outside", {}, true)).toMatchObject({ value: false, prerequisiteFailed: "a" });
  });

  it("survive a 10,000-flag chain without overflowing the stack", () => {
    const flags: Flag[] = keys(10_000, "chain").map((k, i) =>
      booleanFlag(k, i === 0 ? {} : { prerequisites: [{ flagKey: `chain-${i - 1}`, variation: "on" }] }),
    );
    const r = compile(ruleset(flags));
    expect(evaluate(r, "chain-5", {}, false)).toMatchObject({ value: true });
    expect(evaluate(r, `chain-${MAX_DEPTH}`, {}, false)).toMatchObject({ value: true });
    // Beyond the depth bound a chain is a configuration error, found at compile time, not followed.
    expect(evaluate(r, `chain-${MAX_DEPTH + 1}`, {}, false)).toMatchObject({
      value: false,
      reason: "ERROR",
      errorMessage: `prerequisite chain deeper than ${MAX_DEPTH}`,
    });
    expect(evaluate(r, "chain-9999", {}, false)).toMatchObject({ value: false, reason: "ERROR" });
  });

  it("decide each prerequisite once per evaluation, so shared prerequisites stay linear", () => {
    // 30 levels, each flag requiring both flags of the level below: 2^30 paths without memoising.
    const levels = 30;
    const flags: Flag[] = [booleanFlag("base", { rules: [rule("counted")] })];
    for (let level = 0; level < levels; level++) {
      const below = level === 0 ? ["base", "base"] : [`l${level - 1}-a`, `l${level - 1}-b`];
      for (const side of ["a", "b"]) {
        flags.push(
          booleanFlag(`l${level}-${side}`, {
            prerequisites: below.map((flagKey) => ({ flagKey, variation: "on" })),
          }),
        );
      }
    }
    const r = compile(ruleset(flags));
    let reads = 0;
    const context = {
      get plan() {
        reads++;
        return "pro";
      },
    };
    expect(evaluate(r, `l${levels - 1}-a`, context, false)).toMatchObject({ value: true, reason: "DEFAULT" });
    expect(reads).toBe(1);
  });

  it("fail when the prerequisite is off, or missing; an on one serving its off variation is met", () => {
    const r = compile(
      ruleset([
        booleanFlag("parent", { on: false }),
        booleanFlag("child", { prerequisites: [{ flagKey: "parent", variation: "off" }] }),
        booleanFlag("orphan", { prerequisites: [{ flagKey: "gone", variation: "on" }] }),
        booleanFlag("step", { prerequisites: [{ flagKey: "parent", variation: "on" }] }),
        booleanFlag("after-step", { prerequisites: [{ flagKey: "step", variation: "off" }] }),
      ]),
    );
    expect(evaluate(r, "step", {}, true)).toMatchObject({ value: false, prerequisiteFailed: "parent" });
    expect(evaluate(r, "after-step", {}, false)).toMatchObject({ value: true, reason: "DEFAULT" });
    expect(evaluate(r, "child", {}, true)).toMatchObject({ value: false, prerequisiteFailed: "parent" });
    expect(evaluate(r, "orphan", {}, true)).toMatchObject({ value: false, prerequisiteFailed: "gone" });
  });
});

describe("the kill switch", () => {
  it("serves the off variation of a flag that is off, even when its rules failed to compile", () => {
    const r = compile(
      ruleset([
        booleanFlag("killed", { on: false, rules: [rule("r", "email", "matches", ["(a+)+$"])] }),
        booleanFlag("live", { rules: [rule("r", "email", "matches", ["(a+)+$"])] }),
      ]),
    );
    expect(evaluate(r, "killed", { email: "aaa" }, true)).toEqual({
      value: false,
      variant: "off",
      reason: "DISABLED",
    });
    expect(evaluate(r, "live", { email: "aaa" }, true)).toMatchObject({
      reason: "ERROR",
      errorCode: "PARSE_ERROR",
    });
  });

  it("serves the off variation of a flag that is off on a prerequisite cycle or a malformed trusted payload", () => {
    const r = compile(
      ruleset([
        booleanFlag("a", { on: false, prerequisites: [{ flagKey: "b", variation: "on" }] }),
        booleanFlag("b", { prerequisites: [{ flagKey: "a", variation: "on" }] }),
      ]),
    );
    expect(evaluate(r, "a", {}, true)).toMatchObject({ value: false, reason: "DISABLED" });
    const broken = { attribute: "country", op: "in", values: 42 } as unknown as Clause;
    const trusted = compileTrustedRuleset(
      ruleset([
        booleanFlag("off", {
          on: false,
          rules: [{ id: "r", clauses: [broken], serve: { variation: "on" } }],
        }),
      ]),
    );
    if (!trusted.ok) throw new Error(trusted.errors.join("; "));
    expect(evaluate(trusted.ruleset, "off", { country: "NL" }, true)).toMatchObject({
      value: false,
      reason: "DISABLED",
    });
  });
});

describe("segments", () => {
  it("cost the same to test with 100,000 keys as with 10 (Set lookups), and answer correctly", () => {
    const included = keys(100_000, "pilot");
    const r = compile(
      ruleset(
        [
          booleanFlag("f", {
            fallthrough: { variation: "off" },
            rules: [
              {
                id: "p",
                clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["big"] }],
                serve: { variation: "on" },
              },
            ],
          }),
        ],
        [{ key: "big", version: 1, included }],
      ),
    );
    expect(evaluate(r, "f", { targetingKey: "pilot-99999" }, false).value).toBe(true);
    expect(evaluate(r, "f", { targetingKey: "pilot-100000" }, false).value).toBe(false);
  });
});

describe("browser-safe rulesets", () => {
  const source = ruleset(
    [
      booleanFlag("visible", {
        clientVisible: true,
        fallthrough: { variation: "off" },
        targets: [{ variation: "on", values: ["alice@example.com"] }],
        rules: [
          {
            id: "p",
            clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["pilots"] }],
            serve: { variation: "on" },
          },
        ],
      }),
      booleanFlag("server-only", {
        rules: [
          {
            id: "s",
            clauses: [{ attribute: "targetingKey", op: "segmentMatch", values: ["secret"] }],
            serve: { variation: "off" },
          },
        ],
      }),
    ],
    [
      {
        key: "pilots",
        version: 1,
        included: ["bob@example.com", "carol@example.com"],
        excluded: ["mallory@example.com"],
      },
      { key: "secret", version: 1, included: ["vip@example.com"] },
    ],
  );

  it("carry no raw pilot-user key, no server-only flag and no unused segment", () => {
    const json = JSON.stringify(toBrowserRuleset(source, "salt-1"));
    for (const raw of [
      "alice@example.com",
      "bob@example.com",
      "mallory@example.com",
      "vip@example.com",
      "server-only",
      "secret",
    ]) {
      expect(json).not.toContain(raw);
    }
  });

  it("decide exactly like the server ruleset for every user", () => {
    const server = compile(source);
    const browser = compile(toBrowserRuleset(source, "salt-1"));
    for (const key of [
      "alice@example.com",
      "bob@example.com",
      "carol@example.com",
      "mallory@example.com",
      "nobody",
      ...keys(200),
    ]) {
      expect(evaluate(browser, "visible", { targetingKey: key }, false)).toEqual(
        evaluate(server, "visible", { targetingKey: key }, false),
      );
    }
  });
});

describe("deltas", () => {
  const base = ruleset([booleanFlag("a"), booleanFlag("b")]);
  it("apply upserts and removals to the version they were built on", () => {
    const next = applyDelta(base, {
      formatVersion: 1,
      environment: "test",
      fromVersion: 1,
      version: 2,
      flags: { upsert: [booleanFlag("a", { on: false })], remove: ["b"] },
    });
    expect(next?.version).toBe(2);
    expect(next?.flags.map((f) => [f.key, f.on])).toEqual([["a", false]]);
  });
  it("refuse a delta built on another version or environment", () => {
    expect(
      applyDelta(base, { formatVersion: 1, environment: "test", fromVersion: 5, version: 6 }),
    ).toBeUndefined();
    expect(
      applyDelta(base, { formatVersion: 1, environment: "prod", fromVersion: 1, version: 2 }),
    ).toBeUndefined();
  });
});

describe("evaluateAll and shadow sampling", () => {
  it("evaluates every flag, or only client-visible ones", () => {
    const r = compile(ruleset([booleanFlag("a", { clientVisible: true }), booleanFlag("b")]));
    expect(Object.keys(evaluateAll(r, { targetingKey: "u" }))).toEqual(["a", "b"]);
    expect(Object.keys(evaluateAll(r, { targetingKey: "u" }, { clientVisibleOnly: true }))).toEqual(["a"]);
  });

  it("samples within ±1% of the shadow rate, per user or per call", () => {
    const flag = (stickiness: "user" | "call") =>
      booleanFlag("s", { shadow: { sampleRate: 10_000, stickiness, timeoutMs: 100 } });
    const byUser = compile(ruleset([flag("user")]));
    const sampled = keys(100_000).filter((k) => shouldShadow(byUser, "s", { targetingKey: k })).length;
    expect(Math.abs(sampled / 1000 - 10)).toBeLessThanOrEqual(1);
    const byCall = compile(ruleset([flag("call")]));
    let calls = 0;
    for (let i = 0; i < 100_000; i++)
      if (shouldShadow(byCall, "s", { targetingKey: "same" }, (i * 7919) % 100_000)) calls++;
    expect(Math.abs(calls / 1000 - 10)).toBeLessThanOrEqual(1);
    const off = compile(
      ruleset([
        booleanFlag("s", { on: false, shadow: { sampleRate: 100_000, stickiness: "user", timeoutMs: 1 } }),
      ]),
    );
    expect(shouldShadow(off, "s", { targetingKey: "u" })).toBe(false);
  });
});

describe("evaluate never throws", () => {
  const r = compile(
    ruleset([
      booleanFlag("rules", {
        fallthrough: { variation: "off" },
        rules: [
          {
            id: "r",
            clauses: [{ attribute: "country", op: "in", values: ["DE"] }],
            serve: { variation: "on" },
          },
        ],
      }),
      booleanFlag("split", { fallthrough: percentOn(50) }),
    ]),
  );

  it("serves the default with GENERAL when reading the context throws", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no reading");
        },
      },
    );
    for (const flag of ["rules", "split"]) {
      expect(evaluate(r, flag, hostile, true)).toMatchObject({
        value: true,
        reason: "ERROR",
        errorCode: "GENERAL",
      });
    }
  });

  it("treats a missing or null context as empty, and refuses arrays and primitives", () => {
    expect(evaluate(r, "rules", undefined, true)).toMatchObject({ value: false, reason: "DEFAULT" });
    expect(evaluate(r, "rules", null as never, true)).toMatchObject({ value: false, reason: "DEFAULT" });
    for (const bad of [[], 42, "ctx", true]) {
      expect(evaluate(r, "rules", bad as never, true)).toMatchObject({
        value: true,
        reason: "ERROR",
        errorCode: "INVALID_CONTEXT",
      });
    }
  });

  it("checks the kind the caller asked for, explicitly or by the default's type", () => {
    expect(evaluate(r, "rules", {}, null, "string")).toMatchObject({
      reason: "ERROR",
      errorCode: "TYPE_MISMATCH",
    });
    expect(evaluate(r, "rules", {}, null, "boolean")).toMatchObject({ value: false, reason: "DEFAULT" });
    expect(evaluate(r, "rules", {}, 0)).toMatchObject({ value: 0, errorCode: "TYPE_MISMATCH" });
    expect(evaluate(r, "rules", {}, { x: 1 })).toMatchObject({ value: { x: 1 }, errorCode: "TYPE_MISMATCH" });
  });

  it("gives every reason: DISABLED, TARGETING_MATCH, SPLIT, DEFAULT, STATIC, ERROR", () => {
    const all = compile(
      ruleset([
        booleanFlag("off", { on: false }),
        booleanFlag("target", {
          targets: [{ variation: "on", values: ["u"] }],
          fallthrough: { variation: "off" },
        }),
        booleanFlag("split", { fallthrough: percentOn(50) }),
        booleanFlag("static"),
      ]),
    );
    const reason = (flag: string, key = "u") => evaluate(all, flag, { targetingKey: key }, false).reason;
    expect(reason("off")).toBe("DISABLED");
    expect(reason("target")).toBe("TARGETING_MATCH");
    expect(reason("target", "v")).toBe("DEFAULT");
    expect(reason("split")).toBe("SPLIT");
    expect(reason("static")).toBe("STATIC");
    expect(reason("missing")).toBe("ERROR");
  });
});
