import { describe, expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./local-time.js";

describe("local date-time inputs", () => {
  it("round-trips an instant through the input's local wall-clock value, to the minute", () => {
    const instant = new Date(2026, 10, 27, 18, 5, 0);
    expect(toLocalInput(instant)).toBe("2026-11-27T18:05");
    expect(fromLocalInput("2026-11-27T18:05")).toBe(instant.toISOString());
  });

  it("answers null for empty or malformed values rather than an Invalid Date", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("tomorrow")).toBeNull();
    expect(fromLocalInput("2026-13-45T99:99")).toBeNull();
  });
});
