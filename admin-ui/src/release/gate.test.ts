import { describe, expect, it } from "vitest";
import { describeDetails, describeGate, waitingFor } from "./gate.js";

describe("gates in words", () => {
  it("names approval and soak gates with the soak's minutes and mismatch limit", () => {
    expect(describeGate(null)).toBe("no gate");
    expect(describeGate({ type: "approval" })).toBe("manual approval");
    expect(describeGate({ type: "soak", minutes: 90, maxMismatchRate: 0.005 })).toBe(
      "soak 90 min, guards green, shadow mismatches ≤ 0.5%",
    );
    expect(describeGate({ type: "soak", minutes: 60 })).toContain("≤ 1%");
  });

  it("says what a pending promotion waits for", () => {
    expect(waitingFor({ type: "approval" }, "staging")).toContain("another editor or admin");
    expect(waitingFor({ type: "soak", minutes: 30 }, "staging")).toContain(
      "unchanged in staging for 30 minutes",
    );
  });

  it("reads a gate event's figures", () => {
    expect(describeDetails(null)).toBe("");
    expect(describeDetails({ mismatchRate: 0.002, minutes: 60 })).toBe("mismatchRate: 0.002; minutes: 60");
  });
});
