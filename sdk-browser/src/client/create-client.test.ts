// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch, settle } from "../../test/support/fake-server.js";
import { boolFlag, ruleset } from "../../test/support/fixtures.js";
import { createBrowserClient } from "./create-client.js";

const base = { url: "https://flags.test/", clientKey: "client-key" };

describe("browser client: evaluation", () => {
  beforeEach(() => {
    localStorage.clear();
    FakeEventSource.install();
    fakeFetch(() => new Response(null, { status: 202 }));
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("evaluates synchronously from a bootstrap ruleset, before any network answer", () => {
    const client = createBrowserClient({
      ...base,
      bootstrap: ruleset(3),
      context: { targetingKey: "u1", country: "NL" },
    });
    expect(client.getValue("banner", false)).toBe(true);
    expect(client.getDetail("theme", "light")).toMatchObject({ value: "dark", variant: "dark" });
    expect(client.version).toBe(3);
    expect(client.getAll()).toEqual({ checkout: true, banner: true, theme: "dark" });
    client.close();
  });

  it("answers unknown flags and type mismatches with the default and a reason, never throwing", () => {
    const client = createBrowserClient({ ...base, bootstrap: ruleset(1) });
    expect(client.getDetail("nope", "x")).toMatchObject({
      value: "x",
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(client.getDetail("theme", 5)).toMatchObject({ value: 5, errorCode: "TYPE_MISMATCH" });
    expect(client.getValue("checkout", "no")).toBe("no");
    client.close();
  });

  it("answers unknown keys named like Object.prototype members as not found", () => {
    const client = createBrowserClient({ ...base, bootstrap: ruleset(1) });
    for (const key of ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"]) {
      expect(client.getDetail(key, null), key).toEqual({
        flagKey: key,
        value: null,
        reason: "ERROR",
        errorCode: "FLAG_NOT_FOUND",
        errorMessage: `no flag '${key}'`,
      });
      expect(client.getDetail(key, "x").errorCode, key).toBe("FLAG_NOT_FOUND");
      expect(client.peek(key), key).toBeUndefined();
    }
    client.close();
  });

  it("serves, lists and notifies real flags named constructor and toString", () => {
    const client = createBrowserClient({
      ...base,
      bootstrap: { ...ruleset(1), flags: [boolFlag("constructor", true), boolFlag("toString", true)] },
    });
    expect(client.getDetail("constructor", false)).toMatchObject({ value: true, variant: "on" });
    expect(client.getAll()).toEqual({ constructor: true, toString: true });
    const removed = vi.fn();
    client.subscribe("constructor", removed);
    client.subscribe("toString", removed);

    FakeEventSource.last.emit("put", ruleset(2));
    expect(removed).toHaveBeenCalledTimes(2);
    expect(client.getDetail("toString", false).errorCode).toBe("FLAG_NOT_FOUND");
    client.close();
  });

  it("refuses to start without a server URL or a client key, saying what is missing", () => {
    expect(() => createBrowserClient({ url: "", clientKey: "k" })).toThrow(/url, clientKey/);
    expect(() => createBrowserClient({ url: "https://f" } as never)).toThrow(/url, clientKey/);
  });

  it("reports PROVIDER_NOT_READY before any data", () => {
    fakeFetch(() => new Promise(() => {}));
    const client = createBrowserClient({ ...base, streaming: false });
    expect(client.getDetail("checkout", false)).toMatchObject({
      value: false,
      errorCode: "PROVIDER_NOT_READY",
    });
    client.close();
  });

  it("setContext re-evaluates at once and notifies only flags whose value changed", async () => {
    const client = createBrowserClient({
      ...base,
      bootstrap: ruleset(1),
      context: { targetingKey: "u1", country: "DE" },
    });
    const banner = vi.fn();
    const checkout = vi.fn();
    const all = vi.fn();
    client.subscribe("banner", banner);
    client.subscribe("checkout", checkout);
    client.subscribe(all);
    expect(client.getValue("banner", false)).toBe(false);
    const done = client.setContext({ targetingKey: "u1", country: "NL" });
    expect(client.getValue("banner", false)).toBe(true); // synchronous, before the promise settles
    await done;
    expect(banner).toHaveBeenCalledTimes(1);
    expect(checkout).not.toHaveBeenCalled();
    expect(all).toHaveBeenCalledWith(["banner"]);
    client.close();
  });

  it("serves server-evaluated bootstrap values until rules arrive", () => {
    const client = createBrowserClient({
      ...base,
      streaming: false,
      bootstrap: { flags: { checkout: { value: true, variant: "on", reason: "STATIC" } } },
    });
    expect(client.getDetail("checkout", false)).toMatchObject({ value: true, variant: "on" });
    client.close();
  });
});

describe("browser client: cache and payloads", () => {
  beforeEach(() => {
    localStorage.clear();
    FakeEventSource.install();
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("paints from the cached ruleset on the next load, then refreshes in the background", async () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const first = createBrowserClient(base);
    FakeEventSource.last.emit("put", ruleset(5), "5");
    expect(first.version).toBe(5);
    first.close();

    const second = createBrowserClient(base);
    expect(second.version).toBe(5);
    expect(second.getValue("checkout", false)).toBe(true);
    expect(FakeEventSource.last.url).toContain("lastEventId=5");
    expect(await second.ready()).toBe(true);
    second.close();
  });

  it("ignores a corrupt cache entry", () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const first = createBrowserClient(base);
    FakeEventSource.last.emit("put", ruleset(5));
    first.close();
    for (const key of Object.keys(localStorage)) localStorage.setItem(key, '{"formatVersion":1,"flags":7}');
    const second = createBrowserClient(base);
    expect(second.version).toBe(-1);
    expect(second.getDetail("checkout", false).errorCode).toBe("PROVIDER_NOT_READY");
    second.close();
  });

  it("paints from a cached ruleset corrupted into long prerequisite and segment cycles without overflowing the stack", () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const first = createBrowserClient(base);
    FakeEventSource.last.emit("put", ruleset(5));
    first.close();
    const n = 5_000;
    const next = (i: number) => `c${(i + 1) % n}`;
    const corrupt = {
      ...ruleset(6),
      flags: [
        ...ruleset(6).flags,
        ...Array.from({ length: n }, (_, i) =>
          boolFlag(`c${i}`, true, { prerequisites: [{ flagKey: next(i), variation: "on" }] }),
        ),
        boolFlag("cohort", true, {
          rules: [
            {
              id: "r",
              clauses: [{ attribute: "", op: "segmentMatch", values: ["c0"] }],
              serve: { variation: "off" },
            },
          ],
        }),
      ],
      segments: Array.from({ length: n }, (_, i) => ({
        key: `c${i}`,
        version: 1,
        rules: [{ id: "r", clauses: [{ attribute: "", op: "segmentMatch" as const, values: [next(i)] }] }],
      })),
    };
    for (const key of Object.keys(localStorage)) localStorage.setItem(key, JSON.stringify(corrupt));
    const second = createBrowserClient({ ...base, maxCacheBytes: 10 * 1024 * 1024 });
    expect(second.version).toBe(6);
    expect(second.getDetail("c0", false)).toMatchObject({
      value: false,
      reason: "ERROR",
      errorCode: "GENERAL",
    });
    expect(second.getDetail("cohort", false)).toMatchObject({ value: true, reason: "DEFAULT" });
    expect(second.getValue("checkout", false)).toBe(true);
    second.close();
  });

  it("keeps the last good rules when a payload is invalid or unreadable", () => {
    fakeFetch(() => new Response(null, { status: 202 }));
    const client = createBrowserClient({ ...base, bootstrap: ruleset(2) });
    const es = FakeEventSource.last;
    es.emit("put", "{garbage");
    es.emit("put", { ...ruleset(3), flags: "no" });
    es.emit("put", { ...ruleset(4), formatVersion: 99 });
    expect(client.version).toBe(2);
    expect(client.getValue("checkout", false)).toBe(true);
    client.close();
  });

  it("acknowledges each applied version", () => {
    const { requests } = fakeFetch(() => new Response(null, { status: 202 }));
    const beacons: string[] = [];
    vi.stubGlobal("navigator", { sendBeacon: (url: string, body: string) => beacons.push(`${url} ${body}`) });
    const client = createBrowserClient(base);
    FakeEventSource.last.emit("put", ruleset(8));
    FakeEventSource.last.emit("put", ruleset(8)); // same version: no second ack
    FakeEventSource.last.emit("put", ruleset(9, { checkout: boolFlag("checkout", false) }));
    const acks = beacons.filter((b) => b.includes("/sdk/v1/ack?key=client-key"));
    expect(acks.map((a) => JSON.parse(a.split(" ")[1]!).acks[0].version)).toEqual([8, 9]);
    expect(requests).toHaveLength(0);
    client.close();
  });
});

describe("browser client: evaluation metrics", () => {
  beforeEach(() => {
    localStorage.clear();
    FakeEventSource.install();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends counts with sendBeacon when the page is hidden, once per batch", async () => {
    const sendBeacon = vi.fn((_url: string, _body: string) => true);
    vi.stubGlobal("navigator", { sendBeacon });
    fakeFetch(() => new Response(null, { status: 202 }));
    const client = createBrowserClient({ ...base, bootstrap: ruleset(1) });
    client.getValue("checkout", false);
    client.getValue("checkout", false);
    client.getValue("theme", "x");
    client.getValue("missing", 1);
    expect(sendBeacon).not.toHaveBeenCalled();

    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    dispatchEvent(new Event("pagehide"));
    const metrics = sendBeacon.mock.calls.filter(([url]) => url.includes("/sdk/v1/metrics"));
    expect(metrics).toHaveLength(1);
    expect(JSON.parse(metrics[0]![1]).evaluations).toEqual([
      { flag: "checkout", variant: "on", count: 2 },
      { flag: "theme", variant: "dark", count: 1 },
    ]);
    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
    client.close();
    await settle();
  });
});
