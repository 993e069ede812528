// @vitest-environment happy-dom
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch } from "../../test/support/fake-server.js";
import { boolFlag, ruleset } from "../../test/support/fixtures.js";
import { reactUnderTest } from "../../test/support/react-under-test.js";
import { createBrowserClient } from "../client/create-client.js";
import { SwitchyardProvider, useFlag, useFlagDetail } from "./index.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const renders = { checkout: 0, theme: 0 };
function Checkout() {
  renders.checkout++;
  return <p>{useFlag("checkout", false) ? "new checkout" : "old checkout"}</p>;
}
function Banner() {
  return <p>{useFlag("banner", false) ? "banner shown" : "no banner"}</p>;
}
function Theme() {
  renders.theme++;
  const d = useFlagDetail("theme", "light");
  return <p>{`theme ${d.value} (${d.reason})`}</p>;
}

describe("React bindings", () => {
  beforeEach(() => {
    FakeEventSource.install();
    fakeFetch(() => new Response(null, { status: 202 }));
    vi.stubGlobal("navigator", { sendBeacon: () => true });
    renders.checkout = renders.theme = 0;
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("renders with the React version this test project names (18 and 19 both run)", () => {
    const { expected, react, reactDom } = reactUnderTest();
    expect([react, reactDom]).toEqual([expected, expected]);
  });

  it("re-renders a component only when a flag it reads changes", () => {
    const client = createBrowserClient({
      url: "https://f",
      clientKey: "k",
      storage: null,
      bootstrap: ruleset(1),
    });
    render(
      <SwitchyardProvider client={client}>
        <Checkout />
        <Theme />
      </SwitchyardProvider>,
    );
    expect(screen.getByText("new checkout")).toBeTruthy();
    expect(screen.getByText("theme dark (STATIC)")).toBeTruthy();
    const before = { ...renders };

    act(() => FakeEventSource.last.emit("put", ruleset(2, { checkout: boolFlag("checkout", false) })));
    expect(screen.getByText("old checkout")).toBeTruthy();
    expect(renders.checkout).toBe(before.checkout + 1);
    expect(renders.theme).toBe(before.theme);

    act(() => FakeEventSource.last.emit("put", ruleset(3, { checkout: boolFlag("checkout", false) })));
    expect(renders.checkout).toBe(before.checkout + 1); // new version, same value: no render
    client.close();
  });

  it("re-renders on setContext for the flags whose values changed", async () => {
    const client = createBrowserClient({
      url: "https://f",
      clientKey: "k",
      storage: null,
      bootstrap: ruleset(1),
    });
    render(
      <SwitchyardProvider client={client}>
        <Banner />
        <Checkout />
      </SwitchyardProvider>,
    );
    const checkoutRenders = renders.checkout;
    expect(screen.getByText("no banner")).toBeTruthy();
    await act(() => client.setContext({ targetingKey: "u", country: "NL" }));
    expect(screen.getByText("banner shown")).toBeTruthy();
    expect(renders.checkout).toBe(checkoutRenders);
    client.close();
  });

  it("explains a missing provider", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => render(<Checkout />)).toThrow(/SwitchyardProvider/);
  });
});
