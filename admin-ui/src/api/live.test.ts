import { describe, expect, it } from "vitest";
import { staleEnvironments } from "./live.js";

const versions = (entries: [string, string][]) => new Map(entries);

describe("staleEnvironments", () => {
  it("names only the environments whose ruleset or settings moved", () => {
    const before = versions([
      ["staging", "4:1"],
      ["production", "9:1"],
    ]);
    expect(staleEnvironments(before, before)).toEqual({ changed: [], any: false });
    expect(
      staleEnvironments(
        before,
        versions([
          ["staging", "4:1"],
          ["production", "10:1"],
        ]),
      ),
    ).toEqual({ changed: ["production"], any: true });
  });

  it("notices environments added and removed", () => {
    const before = versions([["staging", "4:1"]]);
    expect(staleEnvironments(before, versions([...before, ["qa", "1:1"]]))).toEqual({
      changed: ["qa"],
      any: true,
    });
    expect(staleEnvironments(before, versions([]))).toEqual({ changed: [], any: true });
  });
});
