import { describe, expect, it } from "vitest";
import { paths } from "./paths.js";

describe("paths", () => {
  it("percent-encodes dots so the server serves the app, not a file, for the page", () => {
    expect(paths.flag("checkout.v2")).toBe("/flags/checkout%2Ev2");
    expect(decodeURIComponent("checkout%2Ev2")).toBe("checkout.v2");
    expect(paths.flag("new-checkout")).toBe("/flags/new-checkout");
    expect(paths.segment("production", "beta.testers")).toBe("/segments/production/beta%2Etesters");
  });

  it("links a promotion with the flag and environments preselected", () => {
    const url = new URL(paths.promote("pay&go", "staging", "production"), "http://x");
    expect(url.pathname).toBe("/release");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      flag: "pay&go",
      from: "staging",
      to: "production",
    });
  });
});
