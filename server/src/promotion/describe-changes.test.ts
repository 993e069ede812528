import { describe, expect, it } from "vitest";
import type { StateFields } from "../flags/validate-state.js";
import { describeChanges, percent } from "./describe-changes.js";

const base: StateFields = {
  on: true,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  shadow: null,
};
const split = (on: number) => ({
  rollout: {
    weights: [
      { variation: "on", weight: on },
      { variation: "off", weight: 100_000 - on },
    ],
  },
});

describe("describeChanges", () => {
  it("says nothing when the setups serve the same", () => {
    expect(describeChanges(base, { ...base })).toEqual([]);
  });

  it("reads rule additions, rollout shifts and shadow sampling as a reviewer would", () => {
    const before = { ...base, fallthrough: split(20_000) };
    const after: StateFields = {
      ...base,
      rules: [
        {
          id: "eu",
          clauses: [{ attribute: "country", op: "in", values: ["DE", "FR"] }],
          serve: { variation: "on" },
        },
      ],
      fallthrough: split(50_000),
      shadow: { sampleRate: 5_000, stickiness: "user", timeoutMs: 100 },
    };
    expect(describeChanges(before, after)).toEqual([
      'rule 1 ("eu") added: country in DE, FR → on',
      "fallthrough rollout on 20% → 50%, off 80% → 50%",
      "shadow sample 5% added",
    ]);
  });

  it("names removed and moved rules, targets, prerequisites and the kill switch", () => {
    const pilots = {
      id: "pilots",
      clauses: [{ attribute: "targetingKey", op: "segmentMatch" as const, values: ["pilot-users"] }],
      serve: { variation: "on" },
    };
    const old = {
      id: "old",
      clauses: [{ attribute: "appVersion", op: "semverLt" as const, values: ["2.0.0"] }],
      serve: { variation: "off" },
    };
    const before: StateFields = {
      ...base,
      rules: [old, pilots],
      shadow: { sampleRate: 1_000, stickiness: "call", timeoutMs: 50 },
    };
    const after: StateFields = {
      ...base,
      on: false,
      rules: [pilots],
      targets: [{ variation: "on", values: ["user-1"] }],
      prerequisites: [{ flagKey: "login-v2", variation: "on" }],
    };
    expect(describeChanges(before, after)).toEqual([
      "turned off",
      "prerequisite added: login-v2 serves on",
      "individual targets → on added: user-1",
      'rule 1 ("pilots") moved from position 2',
      'rule 1 ("old") removed: appVersion < version 2.0.0 → off',
      "shadow sampling removed (was 1%)",
    ]);
  });

  it("writes fractions of a percent exactly", () => {
    expect(percent(12_345)).toBe("12.345%");
    expect(percent(100_000)).toBe("100%");
  });
});
