import type { Rule } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { StateFields } from "../flags/validate-state.js";
import { type FlagShape, percent, summarizeServing } from "./serving.js";

const bool: FlagShape = {
  kind: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
};
const colours: FlagShape = {
  kind: "string",
  variations: [
    { key: "control", value: "blue" },
    { key: "green", value: "green", name: "Green button" },
    { key: "red", value: "red" },
  ],
};

const state = (fields: Partial<StateFields> = {}): StateFields => ({
  on: true,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "on" },
  prerequisites: [],
  shadow: null,
  ...fields,
});
const segmentRule = (segment: string, variation = "on"): Rule => ({
  id: `r-${segment}`,
  clauses: [{ attribute: "", op: "segmentMatch", values: [segment] }],
  serve: { variation },
});
const rollout = (...weights: [string, number][]) => ({
  rollout: { weights: weights.map(([variation, weight]) => ({ variation, weight })) },
});

describe("summarizeServing", () => {
  it("says what an off flag serves", () => {
    expect(summarizeServing(bool, state({ on: false }))).toMatchObject({ tone: "off", text: "off → false" });
    expect(summarizeServing(colours, state({ on: false, offVariation: "control" }))).toMatchObject({
      text: "off → control",
    });
  });

  it("calls a boolean on for everyone 100% on", () => {
    expect(summarizeServing(bool, state())).toMatchObject({ tone: "on", text: "100% on" });
  });

  it("marks a boolean that is on but serves false to everyone as off in effect", () => {
    expect(summarizeServing(bool, state({ fallthrough: { variation: "off" } }))).toMatchObject({
      tone: "off",
      text: "100% false",
    });
  });

  it("names a non-boolean's variation (its name if it has one)", () => {
    const s = state({ offVariation: "control", fallthrough: { variation: "green" } });
    expect(summarizeServing(colours, s)).toMatchObject({ tone: "on", text: "100% Green button" });
  });

  it("shows numbers by value", () => {
    const limits: FlagShape = { kind: "number", variations: [{ key: "small", value: 25 }] };
    expect(
      summarizeServing(limits, state({ offVariation: "small", fallthrough: { variation: "small" } })).text,
    ).toBe("100% 25");
  });

  it("names the pilot segments when only they get the flag", () => {
    const s = state({ rules: [segmentRule("beta-testers")], fallthrough: { variation: "off" } });
    expect(summarizeServing(bool, s)).toMatchObject({ tone: "partial", text: "pilot: beta-testers" });
  });

  it("shortens a long list of segments", () => {
    const s = state({
      rules: [segmentRule("a"), segmentRule("b"), segmentRule("c")],
      fallthrough: { variation: "off" },
    });
    expect(summarizeServing(bool, s).text).toBe("pilot: a, b +1");
  });

  it("ignores rules and targets that serve the off answer", () => {
    const s = state({
      rules: [segmentRule("blocked", "off")],
      targets: [{ variation: "off", values: ["u1"] }],
      fallthrough: { variation: "off" },
    });
    expect(summarizeServing(bool, s).text).toBe("100% false");
  });

  it("counts individually targeted users and other rules", () => {
    const s = state({
      targets: [{ variation: "on", values: ["alice", "bob"] }],
      rules: [
        {
          id: "de",
          clauses: [{ attribute: "country", op: "in", values: ["DE"] }],
          serve: { variation: "on" },
        },
      ],
      fallthrough: { variation: "off" },
    });
    expect(summarizeServing(bool, s).text).toBe("2 users · 1 rule");
  });

  it("gives a boolean rollout as the share that gets true", () => {
    const s = state({ fallthrough: rollout(["on", 20_000], ["off", 80_000]) });
    expect(summarizeServing(bool, s)).toMatchObject({ tone: "partial", text: "20% rollout" });
  });

  it("combines a pilot with a rollout for everyone else", () => {
    const s = state({
      rules: [segmentRule("pilot-users")],
      fallthrough: rollout(["on", 5_000], ["off", 95_000]),
    });
    expect(summarizeServing(bool, s).text).toBe("pilot: pilot-users · 5% rollout");
  });

  it("says what everyone else gets when it is not the off answer", () => {
    const s = state({ rules: [segmentRule("beta")] });
    expect(summarizeServing(bool, s).text).toBe("pilot: beta · else on");
  });

  it("treats a rollout with a single non-zero weight as serving that variation", () => {
    const s = state({ fallthrough: rollout(["on", 100_000], ["off", 0]) });
    expect(summarizeServing(bool, s).text).toBe("100% on");
  });

  it("lists a multi-variation split", () => {
    const s = state({
      offVariation: "control",
      fallthrough: rollout(["control", 50_000], ["green", 30_000], ["red", 20_000]),
    });
    expect(summarizeServing(colours, s).text).toBe("split 50% control / 30% Green button / 20% red");
  });

  it("handles a missing state and unknown variations without throwing", () => {
    expect(summarizeServing(bool, undefined)).toMatchObject({ tone: "missing", text: "—" });
    expect(summarizeServing(bool, state({ fallthrough: { variation: "gone" } })).text).toBe("100% gone");
  });

  it("always gives a sentence for the tooltip", () => {
    expect(
      summarizeServing(bool, state({ rules: [segmentRule("beta")], fallthrough: { variation: "off" } }))
        .detail,
    ).toBe("On for segments beta; everyone else gets false.");
  });
});

describe("percent", () => {
  it("prints buckets as a percentage without float noise", () => {
    expect(percent(20_000)).toBe("20");
    expect(percent(12_345)).toBe("12.345");
    expect(percent(500)).toBe("0.5");
    expect(percent(1)).toBe("0.001");
    expect(percent(100_000)).toBe("100");
  });
});
