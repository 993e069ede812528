// @vitest-environment happy-dom
import { OpenFeature, ProviderEvents, ProviderStatus } from "@openfeature/web-sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch, json } from "../../test/support/fake-server.js";
import { boolFlag, ruleset } from "../../test/support/fixtures.js";
import { serverEvaluation } from "../server.js";
import { SwitchyardWebProvider } from "./web-provider.js";

const options = { url: "https://f", clientKey: "k", storage: null };

describe("SwitchyardWebProvider with @openfeature/web-sdk", () => {
  beforeEach(() => {
    FakeEventSource.install();
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    await OpenFeature.setContext({});
    vi.unstubAllGlobals();
  });

  it("initializes with the static context and resolves synchronously through the SDK", async () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const provider = new SwitchyardWebProvider(options);
    const ready = OpenFeature.setProviderAndWait(provider, { targetingKey: "u1", country: "NL" });
    FakeEventSource.last.emit("put", ruleset(1));
    await ready;
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getBooleanValue("banner", false)).toBe(true);
    expect(client.getStringDetails("theme", "light")).toMatchObject({ value: "dark", variant: "dark" });
    expect(client.getBooleanDetails("missing", false)).toMatchObject({
      value: false,
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(client.getNumberDetails("theme", 3)).toMatchObject({ value: 3, errorCode: "TYPE_MISMATCH" });
  });

  it("emits CONFIGURATION_CHANGED with flagsChanged on a kill, and re-evaluates on context change", async () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    await OpenFeature.setContext({ targetingKey: "u1", country: "DE" });
    const ready = OpenFeature.setProviderAndWait(new SwitchyardWebProvider(options));
    FakeEventSource.last.emit("put", ruleset(1));
    await ready;
    const client = OpenFeature.getClient();
    const changes: unknown[] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (e) => changes.push(e?.flagsChanged));

    FakeEventSource.last.emit("put", ruleset(2, { checkout: boolFlag("checkout", false) }));
    expect(changes).toEqual([["checkout"]]);
    expect(client.getBooleanDetails("checkout", true)).toMatchObject({ value: false, reason: "DISABLED" });

    expect(client.getBooleanValue("banner", false)).toBe(false);
    await OpenFeature.setContext({ targetingKey: "u1", country: "NL" });
    expect(client.getBooleanValue("banner", false)).toBe(true);
    expect(changes).toHaveLength(1); // a context switch is CONTEXT_CHANGED, not a configuration change
  });

  it("goes STALE when the stream drops and READY when it returns", async () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const ready = OpenFeature.setProviderAndWait(new SwitchyardWebProvider(options));
    FakeEventSource.last.emit("put", ruleset(1));
    await ready;
    const client = OpenFeature.getClient();
    FakeEventSource.last.fail(0);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(client.getBooleanValue("checkout", false)).toBe(true); // last good rules still served
    FakeEventSource.last.open();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it("lands in ERROR when the first load fails", async () => {
    fakeFetch(() => new Response(null, { status: 401 }));
    await expect(
      OpenFeature.setProviderAndWait(new SwitchyardWebProvider({ ...options, streaming: false })),
    ).rejects.toBeTruthy();
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(client.getBooleanValue("checkout", true)).toBe(true);
  });

  it("works in server-evaluated mode", async () => {
    fakeFetch(() =>
      json({ flags: [{ key: "checkout", value: true, variant: "on", reason: "STATIC" }] }, '"e"'),
    );
    await OpenFeature.setProviderAndWait(new SwitchyardWebProvider({ ...options, mode: serverEvaluation }), {
      targetingKey: "u1",
    });
    expect(OpenFeature.getClient().getBooleanDetails("checkout", false)).toMatchObject({
      value: true,
      reason: "STATIC",
    });
  });
});
