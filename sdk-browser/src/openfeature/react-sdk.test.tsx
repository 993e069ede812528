// @vitest-environment happy-dom
import { OpenFeature, OpenFeatureProvider, useBooleanFlagValue } from "@openfeature/react-sdk";
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch } from "../../test/support/fake-server.js";
import { boolFlag, ruleset } from "../../test/support/fixtures.js";
import { SwitchyardWebProvider } from "./web-provider.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Feature() {
  return <p>{useBooleanFlagValue("checkout", false) ? "feature on" : "feature off"}</p>;
}

describe("SwitchyardWebProvider with @openfeature/react-sdk", () => {
  afterEach(async () => {
    cleanup();
    await OpenFeature.clearProviders();
    vi.unstubAllGlobals();
  });

  it("hides a feature when its flag is killed", async () => {
    FakeEventSource.install();
    fakeFetch(() => new Response(null, { status: 202 }));
    vi.stubGlobal("navigator", { sendBeacon: () => true });
    const ready = OpenFeature.setProviderAndWait(
      new SwitchyardWebProvider({ url: "https://f", clientKey: "k", storage: null }),
    );
    FakeEventSource.last.emit("put", ruleset(1));
    await ready;
    render(
      <OpenFeatureProvider>
        <Feature />
      </OpenFeatureProvider>,
    );
    expect(screen.getByText("feature on")).toBeTruthy();
    act(() => FakeEventSource.last.emit("put", ruleset(2, { checkout: boolFlag("checkout", false) })));
    expect(screen.getByText("feature off")).toBeTruthy();
  });
});
