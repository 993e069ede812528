import { afterEach, describe, expect, it } from "vitest";
import { parseIsoDate, toTime } from "./dates.js";
import { compileClause } from "./operators.js";

const zone = process.env.TZ;
afterEach(() => {
  // Node re-reads TZ when it is assigned, so these tests run as if on a machine in another zone.
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const newYear = Date.UTC(2026, 0, 1);

describe("dates", () => {
  it("read a date or date-time without a zone as UTC, whatever the machine's zone", () => {
    for (const tz of ["America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "UTC"]) {
      process.env.TZ = tz;
      expect(parseIsoDate("2026-01-01")).toBe(newYear);
      expect(parseIsoDate("2026-01-01T00:00:00")).toBe(newYear);
      expect(parseIsoDate("2026-01-01T00:00")).toBe(newYear);
      expect(parseIsoDate("2026-01-01 00:00:00.000")).toBe(newYear);
      const before = compileClause(
        { attribute: "at", op: "before", values: ["2026-01-01T00:00:00"] },
        () => () => false,
      );
      expect(before({ at: newYear - 1 })).toBe(true);
      expect(before({ at: "2025-12-31T23:59:59" })).toBe(true);
      expect(before({ at: newYear })).toBe(false);
    }
    process.env.TZ = "America/New_York";
    // What the engine alone does: the same text is five hours later there.
    expect(Date.parse("2026-01-01T00:00:00")).toBe(newYear + 5 * 3600_000);
  });

  it("honour an explicit zone, fractions of a second, and epoch milliseconds", () => {
    expect(toTime("2026-01-01T02:00:00+02:00")).toBe(newYear);
    expect(toTime("2025-12-31T19:00:00-0500")).toBe(newYear);
    expect(toTime("2026-01-01T05:30:00+05:30")).toBe(newYear);
    expect(toTime("2026-01-01T00:00:00.250Z")).toBe(newYear + 250);
    expect(toTime("2026-01-01t00:00:00.123456789z")).toBe(newYear + 123);
    expect(toTime(newYear)).toBe(newYear);
    expect(toTime(new Date(newYear))).toBe(newYear);
    // Years below 100 stay themselves (Date.UTC would make 0099 into 1999).
    expect(toTime("0099-06-01")).toBe(new Date("0099-06-01T00:00:00Z").getTime());
  });

  it("refuse what is not an ISO 8601 date, instead of guessing like Date.parse", () => {
    for (const text of [
      "Jan 1 2026",
      "2026/01/01",
      "1767225600000",
      "2026-13-01",
      "2026-02-29",
      "2026-04-31",
      "2026-01-01T24:00:00",
      "2026-01-01T12:60",
      "2026-01-01T00:00:00+25:00",
      "",
      "yesterday",
    ]) {
      expect(toTime(text), text).toBeUndefined();
    }
    expect(toTime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(toTime(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(toTime(new Date(Number.NaN))).toBeUndefined();
    expect(toTime(true)).toBeUndefined();
  });
});
