// @vitest-environment node
// Static imports on purpose: importing the SDK, its React bindings and the OpenFeature provider must not touch
// `window` or `document` (this file runs without a DOM).
import "../openfeature/index.js";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ruleset } from "../../test/support/fixtures.js";
import { reactUnderTest } from "../../test/support/react-under-test.js";
import { createBrowserClient } from "../index.js";
import { SwitchyardProvider, useFlag } from "./index.js";

function Page() {
  return <b>{useFlag("banner", false) ? "banner" : "none"}</b>;
}

describe("server rendering", () => {
  it("imports without a DOM and renders bootstrap values to HTML, with no network", () => {
    const { expected, react, reactDom } = reactUnderTest();
    expect([react, reactDom]).toEqual([expected, expected]);
    expect(typeof window).toBe("undefined");
    expect(typeof document).toBe("undefined");
    const client = createBrowserClient({
      url: "https://f",
      clientKey: "k",
      bootstrap: ruleset(1),
      context: { country: "NL" },
    });
    const html = renderToString(
      <SwitchyardProvider client={client}>
        <Page />
      </SwitchyardProvider>,
    );
    expect(html).toBe("<b>banner</b>");
    expect(client.status).toBe("loading");
    client.close();
  });
});
