import { describe, expect, it } from "vitest";
import { fromLocalInput } from "../components/local-time.js";
import { describeStep, nextHour, rampDrafts, stepsOf } from "./steps.js";

describe("scheduled steps", () => {
  it("builds a 1 → 5 → 25 → 100% ramp, one step an hour from the start", () => {
    const start = new Date(2026, 4, 1, 9, 0);
    const result = stepsOf(rampDrafts(start));
    expect(result).toEqual({
      steps: [1, 5, 25, 100].map((percentage, i) => ({
        at: new Date(2026, 4, 1, 9 + i, 0).toISOString(),
        action: "rollout",
        percentage,
      })),
    });
  });

  it("turns on and off at set times, with no percentage", () => {
    expect(
      stepsOf([
        { at: "2026-05-01T09:00", action: "on", percentage: "" },
        { at: "2026-05-02T09:00", action: "off", percentage: "" },
      ]),
    ).toEqual({
      steps: [
        { at: fromLocalInput("2026-05-01T09:00"), action: "on" },
        { at: fromLocalInput("2026-05-02T09:00"), action: "off" },
      ],
    });
  });

  it("names the row and field at fault: a missing time, steps out of order, a percentage out of range", () => {
    expect(
      stepsOf([
        { at: "2026-05-02T09:00", action: "rollout", percentage: "5" },
        { at: "2026-05-01T09:00", action: "rollout", percentage: "0" },
        { at: "", action: "on", percentage: "" },
        { at: "2026-05-03T09:00", action: "rollout", percentage: "" },
      ]),
    ).toEqual({
      problems: [
        { index: 1, field: "at", message: "Steps must be in time order." },
        { index: 1, field: "percentage", message: "A rollout serves more than 0% and at most 100%." },
        { index: 2, field: "at", message: "Pick a date and time." },
        { index: 3, field: "percentage", message: "A rollout serves more than 0% and at most 100%." },
      ],
    });
    expect(stepsOf([])).toEqual({ problems: [{ index: 0, field: "at", message: "Add at least one step." }] });
  });

  it("describes steps and rounds new ones up to the next whole hour", () => {
    expect(describeStep({ at: "", action: "rollout", percentage: 25 })).toBe("rollout 25%");
    expect(describeStep({ at: "", action: "off" })).toBe("turn off");
    expect(nextHour(new Date(2026, 4, 1, 9, 41, 13))).toEqual(new Date(2026, 4, 1, 10, 0, 0));
  });
});
