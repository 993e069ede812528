import { compileRuleset, evaluate } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { StateFields } from "../api/types.js";
import { describeDecision } from "./describe-decision.js";
import { moveRule, parseKeys, parseValues, setShare, splitOf } from "./draft.js";
import { parseContext, previewDecision } from "./preview.js";

const variations = [
  { key: "on", value: true },
  { key: "off", value: false },
];
const three = [...variations, { key: "beta", value: true }];
const state: StateFields = {
  on: true,
  offVariation: "off",
  targets: [],
  rules: [
    {
      id: "a",
      clauses: [{ attribute: "country", op: "in", values: ["DE", "FR"] }],
      serve: { variation: "on" },
    },
    { id: "b", clauses: [], serve: { variation: "off" } },
  ],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
};

describe("editing the draft", () => {
  it("moves rules and ignores moves out of range", () => {
    expect(moveRule(state, 0, 1).rules.map((r) => r.id)).toEqual(["b", "a"]);
    expect(moveRule(state, 0, 5)).toBe(state);
  });

  it("keeps a split at exactly 100,000 buckets and turns 100% into a plain serve", () => {
    const half = setShare({ variation: "on" }, variations, "on", 50);
    expect(half).toEqual({
      rollout: {
        weights: [
          { variation: "on", weight: 50_000 },
          { variation: "off", weight: 50_000 },
        ],
      },
    });
    const odd = setShare(setShare({ variation: "on" }, three, "on", 33.333), three, "beta", 10);
    if (!("rollout" in odd)) throw new Error("expected a rollout");
    expect(odd.rollout.weights.reduce((a, w) => a + w.weight, 0)).toBe(100_000);
    expect(splitOf(odd, three).beta).toBe(10);
    expect(setShare(half, variations, "off", 100)).toEqual({ variation: "off" });
  });

  it("parses values by operator and keys by line or comma", () => {
    expect(parseValues("gt", "3, x")).toEqual([3, "x"]);
    expect(parseValues("in", "DE, true,  ")).toEqual(["DE", true]);
    expect(parseKeys("u1\nu2, u1\n\n")).toEqual(["u1", "u2"]);
  });
});

describe("the preview", () => {
  const flag = {
    key: "new-checkout",
    name: "New checkout",
    description: "",
    kind: "boolean" as const,
    variations,
    tags: [],
    owner: null,
    temporary: false,
    clientVisible: false,
    salt: "abc",
    archived: false,
    archivedAt: null,
    version: 1,
    createdAt: "",
    updatedAt: "",
  };

  it("says which rule matched, in words", () => {
    const d = previewDecision(flag, state, [], { targetingKey: "u", country: "FR" });
    if ("error" in d) throw new Error(d.error);
    expect(describeDecision(d, state)).toBe("matched rule 1: country is one of DE, FR → on");
    const off = previewDecision(flag, { ...state, on: false }, [], { targetingKey: "u" });
    if ("error" in off) throw new Error(off.error);
    expect(describeDecision(off, state)).toBe("the flag is off: serves the off variation → off");
  });

  it("buckets exactly as an SDK would with the flag's salt", () => {
    const rollout = { ...state, rules: [], fallthrough: setShare({ variation: "on" }, variations, "on", 30) };
    const compiled = compileRuleset({
      formatVersion: 1,
      environment: "x",
      version: 1,
      segments: [],
      flags: [
        { ...flag, version: 1, on: true, offVariation: "off", fallthrough: rollout.fallthrough, salt: "abc" },
      ],
    });
    if (!compiled.ok) throw new Error("compile");
    for (const key of ["u1", "u2", "u3", "u4", "u5"]) {
      const sdk = evaluate(compiled.ruleset, "new-checkout", { targetingKey: key }, false);
      const preview = previewDecision(flag, rollout, [], { targetingKey: key });
      expect(preview).toMatchObject({ value: sdk.value, variant: sdk.variant });
    }
  });

  it("reads a bare key or a JSON object, and says what is wrong otherwise", () => {
    expect(parseContext("user-1")).toEqual({ targetingKey: "user-1" });
    expect(parseContext('{ "targetingKey": "u", "plan": "pro" }')).toEqual({
      targetingKey: "u",
      plan: "pro",
    });
    expect("error" in parseContext("{ nope")).toBe(true);
  });
});
