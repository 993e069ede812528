// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch, json, settle } from "../../test/support/fake-server.js";
import { boolFlag, ruleset } from "../../test/support/fixtures.js";
import { createBrowserClient } from "./create-client.js";

const base = { url: "https://flags.test", clientKey: "ck", storage: null };
const setVisibility = (state: "visible" | "hidden") => {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
};
const killed = (version: number) => ruleset(version, { checkout: boolFlag("checkout", false) });

describe("live updates over EventSource", () => {
  beforeEach(() => {
    FakeEventSource.install();
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(() => {
    setVisibility("visible");
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("connects with the key in the query string and applies put, then patch", () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const client = createBrowserClient({ ...base, instanceId: "i-1" });
    const es = FakeEventSource.last;
    expect(es.url).toBe(
      "https://flags.test/sdk/v1/stream?key=ck&sdk=sdk-browser%2F0.1.0&instance=i-1&lastEventId=",
    );
    const checkout = vi.fn();
    const theme = vi.fn();
    client.subscribe("checkout", checkout);
    client.subscribe("theme", theme);
    es.open();
    es.emit("put", ruleset(1), "1");
    expect(client.getValue("checkout", false)).toBe(true);
    es.emit("patch", {
      formatVersion: 1,
      environment: "production",
      fromVersion: 1,
      version: 2,
      flags: { upsert: [boolFlag("checkout", false)] },
    });
    expect(client.version).toBe(2);
    expect(client.getValue("checkout", true)).toBe(false);
    expect(checkout).toHaveBeenCalledTimes(2);
    expect(theme).toHaveBeenCalledTimes(1); // only the initial put
    expect(client.status).toBe("ready");
    client.close();
    expect(es.closed).toBe(true);
  });

  it("refetches the full ruleset when a patch does not fit the version held", async () => {
    const { requests } = fakeFetch((req) =>
      req.url.includes("/client/ruleset") ? json(killed(7), '"v7"') : new Response(null, { status: 202 }),
    );
    const client = createBrowserClient({ ...base, bootstrap: ruleset(4) });
    FakeEventSource.last.emit("patch", {
      formatVersion: 1,
      environment: "production",
      fromVersion: 6,
      version: 7,
    });
    await settle();
    const get = requests.find((r) => r.url.endsWith("/sdk/v1/client/ruleset"))!;
    expect(get.headers.authorization).toBe("Bearer ck");
    expect(client.version).toBe(7);
    expect(client.getValue("checkout", true)).toBe(false);
    client.close();
  });

  it("reconnects with lastEventId when the stream goes silent for three heartbeats", () => {
    vi.useFakeTimers();
    fakeFetch(() => new Response(null, { status: 202 }));
    const client = createBrowserClient({ ...base, bootstrap: ruleset(3) });
    const first = FakeEventSource.last;
    first.open();
    vi.advanceTimersByTime(40_000);
    first.emit("ping", {});
    vi.advanceTimersByTime(40_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(6_000);
    expect(first.closed).toBe(true);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.last.url).toContain("lastEventId=3");
    expect(client.status).toBe("stale");
    client.close();
  });

  it("falls back to polling with ETag when the server refuses the stream", async () => {
    vi.useFakeTimers();
    let served = 0;
    const { requests } = fakeFetch((req) => {
      if (!req.url.includes("/client/ruleset")) return new Response(null, { status: 202 });
      served++;
      if (req.headers["if-none-match"] === '"v2"' && served < 3) return new Response(null, { status: 304 });
      return served < 3 ? json(ruleset(2), '"v2"') : json(killed(3), '"v3"');
    });
    const client = createBrowserClient({ ...base, pollIntervalMs: 1000 });
    FakeEventSource.last.fail(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.version).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    const gets = requests.filter((r) => r.url.includes("/client/ruleset"));
    expect(gets[1]!.headers["if-none-match"]).toBe('"v2"');
    expect(client.version).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.version).toBe(3);
    expect(client.getValue("checkout", true)).toBe(false);
    expect(FakeEventSource.instances).toHaveLength(1);
    client.close();
  });

  it("pauses while the tab is hidden and catches up when it is shown again", () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const client = createBrowserClient({ ...base, bootstrap: ruleset(5) });
    const first = FakeEventSource.last;
    setVisibility("hidden");
    expect(first.closed).toBe(true);
    expect(FakeEventSource.instances).toHaveLength(1);
    setVisibility("visible");
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.last.url).toContain("lastEventId=5");
    FakeEventSource.last.emit("put", killed(6));
    expect(client.getValue("checkout", true)).toBe(false);
    client.close();
  });

  it("polls instead of streaming when streaming is off, and reports error when nothing ever loads", async () => {
    fakeFetch(() => new Response("nope", { status: 401 }));
    const client = createBrowserClient({ ...base, streaming: false });
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    expect(await client.ready()).toBe(false);
    expect(statuses).toEqual(["error"]);
    expect(FakeEventSource.instances).toHaveLength(0);
    client.close();
  });
});
