/** Core's shared vectors through the server's own path: what OFREP and client evaluation evaluate. */
import { type EvaluationContext, evaluate } from "@switchyard/core";
import { pinned, vectors } from "@switchyard/core/vectors";
import { describe, expect, it } from "vitest";
import { createBrowserRulesets } from "./browser.js";
import { publish } from "./publish.js";

describe("shared vectors through the server's published rulesets", () => {
  const browser = createBrowserRulesets();
  it.each(vectors.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const source = vectors.rulesets[c.ruleset];
    if (!source) throw new Error(`no ruleset ${c.ruleset}`);
    // The server's own cached builder, not core's toBrowserRuleset, makes the browser-safe ruleset here.
    const published = c.browser ? publish(browser(source, c.browser), "client") : publish(source, "server");
    const decision = evaluate(published.compiled, c.flag, c.context as EvaluationContext, c.default);
    expect(pinned(decision)).toEqual(c.expected);
  });
});
