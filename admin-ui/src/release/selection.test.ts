import { describe, expect, it } from "vitest";
import { choiceFromSearch, emptyChoice, nextAfter, selectionOf, withDefaults } from "./selection.js";

describe("the promote form's choice", () => {
  it("reads the overview's promote link: one flag, from, to — complete enough to preview", () => {
    const { choice, complete } = choiceFromSearch("?flag=new-checkout&from=staging&to=production");
    expect(complete).toBe(true);
    expect(selectionOf(choice)).toEqual({
      selection: { from: "staging", to: ["production"], flags: ["new-checkout"] },
    });
  });

  it("reads several targets and a tag; a link without a source is not complete", () => {
    const tagged = choiceFromSearch("?tag=release-42&from=staging&to=production&to=eu,staging");
    expect(tagged.choice.to).toEqual(["production", "eu"]);
    expect(selectionOf(tagged.choice)).toEqual({
      selection: { from: "staging", to: ["production", "eu"], tag: "release-42" },
    });
    expect(choiceFromSearch("?flag=new-checkout&to=production").complete).toBe(false);
    expect(choiceFromSearch("").complete).toBe(false);
  });

  it("asks for what is missing rather than sending an incomplete promotion", () => {
    const base = { ...emptyChoice, from: "staging", to: ["production"] };
    expect(selectionOf({ ...base, what: "tag", tag: " " })).toEqual({ missing: "Enter a release tag." });
    expect(selectionOf({ ...base, what: "flags" })).toEqual({ missing: "Choose the flags to promote." });
    expect(selectionOf({ ...base, what: "flag", flag: "" })).toEqual({
      missing: "Choose the flags to promote.",
    });
    expect(selectionOf({ ...base, to: ["staging"] })).toEqual({
      missing: "Choose at least one environment to promote to.",
    });
    expect(selectionOf({ ...base, what: "flags", flags: ["a", "b"] })).toEqual({
      selection: { from: "staging", to: ["production"], flags: ["a", "b"] },
    });
  });

  it("defaults to promoting from the environment before the last into the next one, until chosen", () => {
    const envs = ["development", "staging", "production"];
    expect(withDefaults(emptyChoice, envs)).toMatchObject({ from: "staging", to: ["production"] });
    expect(withDefaults({ ...emptyChoice, from: "development", to: [] }, envs).to).toEqual([]);
    expect(withDefaults({ ...emptyChoice, from: "staging", to: ["staging", "production"] }, envs).to).toEqual(
      ["production"],
    );
    expect(nextAfter(envs, "development")).toEqual(["staging"]);
    expect(nextAfter(envs, "production")).toEqual([]);
    expect(nextAfter(envs, "nowhere")).toEqual([]);
  });
});
