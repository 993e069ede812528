// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch, json, settle } from "../../test/support/fake-server.js";
import { createBrowserClient } from "./create-client.js";
import { contextHash, createServerSource } from "./server-source.js";

const base = { url: "https://flags.test", clientKey: "ck", mode: createServerSource };
const bulk = (on: boolean) => ({
  flags: [
    { key: "checkout", value: on, variant: on ? "on" : "off", reason: on ? "TARGETING_MATCH" : "DISABLED" },
    { key: "broken", errorCode: "PARSE_ERROR" },
    { value: "no key: dropped" },
  ],
});

describe("server-evaluated mode (OFREP bulk)", () => {
  beforeEach(() => {
    localStorage.clear();
    FakeEventSource.install();
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("fetches values for the context, revalidates with ETag, and never opens a rules stream", async () => {
    let on = true;
    const { requests } = fakeFetch((req) =>
      req.headers["if-none-match"] === `"${on}"`
        ? new Response(null, { status: 304 })
        : json(bulk(on), `"${on}"`),
    );
    const client = createBrowserClient({ ...base, context: { targetingKey: "u1" } });
    expect(await client.ready()).toBe(true);
    expect(requests[0]).toMatchObject({ url: "https://flags.test/ofrep/v1/evaluate/flags", method: "POST" });
    expect(JSON.parse(requests[0]!.body!)).toEqual({ context: { targetingKey: "u1" } });
    expect(client.getDetail("checkout", false)).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
    expect(client.getDetail("broken", 1)).toMatchObject({ value: 1, errorCode: "PARSE_ERROR" });
    expect(FakeEventSource.instances).toHaveLength(0);

    const changed = vi.fn();
    client.subscribe("checkout", changed);
    await client.setContext({ targetingKey: "u1", plan: "pro" });
    expect(requests[1]!.headers["if-none-match"]).toBeUndefined(); // a new context drops the ETag
    expect(changed).not.toHaveBeenCalled();
    on = false;
    await client.setContext({ targetingKey: "u2" });
    expect(client.getValue("checkout", true)).toBe(false);
    expect(changed).toHaveBeenCalledTimes(1);
    client.close();
  });

  it("starts from the values cached for the same context, whatever its key order", async () => {
    fakeFetch(() => json(bulk(true), '"a"'));
    const context = { targetingKey: "u1", plan: "pro", org: { id: 7, region: "eu" } };
    const first = createBrowserClient({ ...base, context });
    await first.ready();
    first.close();

    const { requests } = fakeFetch(() => new Promise(() => {}));
    const reordered = { org: { region: "eu", id: 7 }, plan: "pro", targetingKey: "u1" };
    const same = createBrowserClient({ ...base, context: reordered });
    expect(same.getValue("checkout", false)).toBe(true);
    await settle();
    expect(requests[0]!.headers["if-none-match"]).toBe('"a"');
    same.close();

    const other = createBrowserClient({ ...base, context: { targetingKey: "u9" } });
    expect(other.getDetail("checkout", false).errorCode).toBe("PROVIDER_NOT_READY");
    other.close();
  });

  it("does not paint values computed for the same user with other attributes", async () => {
    fakeFetch(() => json(bulk(true), '"a"'));
    const first = createBrowserClient({ ...base, context: { targetingKey: "u1", plan: "pro" } });
    await first.ready();
    first.close();

    const { requests } = fakeFetch(() => new Promise(() => {}));
    for (const context of [
      { targetingKey: "u1", plan: "free" },
      { targetingKey: "u1" },
      { targetingKey: "u1", plan: "pro", country: "NL" },
    ]) {
      const next = createBrowserClient({ ...base, context });
      expect(next.getDetail("checkout", false).errorCode, JSON.stringify(context)).toBe("PROVIDER_NOT_READY");
      next.close();
    }
    await settle();
    expect(requests.map((r) => r.headers["if-none-match"])).toEqual([undefined, undefined, undefined]);
  });

  it("neither shows nor caches an answer for a context replaced while it was in flight", async () => {
    const answers: ((r: Response) => void)[] = [];
    fakeFetch(() => new Promise<Response>((resolve) => answers.push(resolve)));
    const client = createBrowserClient({ ...base, context: { targetingKey: "u1" } });
    await settle();
    const switched = client.setContext({ targetingKey: "u2" });
    answers[0]!(json(bulk(true), '"u1"'));
    await settle();
    expect(client.getDetail("checkout", false).errorCode).toBe("PROVIDER_NOT_READY");
    answers[1]!(json(bulk(false), '"u2"'));
    await switched;
    expect(client.getDetail("checkout", true)).toMatchObject({ value: false, reason: "DISABLED" });
    client.close();

    fakeFetch(() => new Promise(() => {}));
    const u1 = createBrowserClient({ ...base, context: { targetingKey: "u1" } });
    expect(u1.getDetail("checkout", false).errorCode).toBe("PROVIDER_NOT_READY");
    u1.close();
    const u2 = createBrowserClient({ ...base, context: { targetingKey: "u2" } });
    expect(u2.getValue("checkout", true)).toBe(false);
    u2.close();
  });
});

describe("context hash", () => {
  it("is the same for the same context in any key order, at every depth", () => {
    expect(contextHash({ a: 1, b: { c: [1, { d: 2, e: 3 }], f: "x" } })).toBe(
      contextHash({ b: { f: "x", c: [1, { e: 3, d: 2 }] }, a: 1 }),
    );
    expect(contextHash({ a: 1, skipped: undefined })).toBe(contextHash({ a: 1 }));
  });

  it("differs when any attribute differs, not only the targeting key", () => {
    const hashes = [
      { targetingKey: "u1" },
      { targetingKey: "u2" },
      { targetingKey: "u1", plan: "pro" },
      { targetingKey: "u1", plan: "free" },
      { targetingKey: "u1", tags: ["a", "b"] },
      { targetingKey: "u1", tags: ["b", "a"] },
      { targetingKey: "u1", n: 1 },
      { targetingKey: "u1", n: "1" },
    ].map(contextHash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe("server-evaluated mode: the OFREP change stream", () => {
  const streams = [{ type: "sse", endpoint: { requestUri: "/ofrep/v1/stream?key=ck" } }];
  const setVisibility = (state: "visible" | "hidden") => {
    Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  };
  /** A bulk endpoint serving `state.on`, with ETag, announcing the event stream. */
  const server = (state: { on: boolean }) =>
    fakeFetch((req) =>
      req.headers["if-none-match"] === `"${state.on}"`
        ? new Response(null, { status: 304 })
        : json({ ...bulk(state.on), eventStreams: streams }, `"${state.on}"`),
    );

  beforeEach(() => {
    localStorage.clear();
    FakeEventSource.install();
    vi.stubGlobal("navigator", { sendBeacon: () => true });
  });
  afterEach(() => {
    setVisibility("visible");
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("connects to the stream the server names, and refetches on refetchEvaluation instead of polling", async () => {
    vi.useFakeTimers();
    const state = { on: true };
    const { requests } = server(state);
    const client = createBrowserClient({ ...base, context: { targetingKey: "u1" }, pollIntervalMs: 1000 });
    expect(await client.ready()).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.last;
    expect(es.url).toBe("https://flags.test/ofrep/v1/stream?key=ck");

    es.open(); // changes may have been missed before the connection: revalidate once
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.headers["if-none-match"]).toBe('"true"');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength(2); // no polling while the stream is up (its heartbeats are comments)
    expect(es.closed).toBe(false);

    const changed = vi.fn();
    client.subscribe("checkout", changed);
    state.on = false;
    es.emit("message", { type: "refetchEvaluation", etag: "42" });
    await vi.advanceTimersByTimeAsync(0);
    expect(requests[2]!.url).toBe("https://flags.test/ofrep/v1/evaluate/flags?flagConfigEtag=42");
    expect(client.getDetail("checkout", true)).toMatchObject({ value: false, reason: "DISABLED" });
    expect(changed).toHaveBeenCalledTimes(1);

    es.emit("message", { type: "somethingNew" });
    es.emit("message", "{not json");
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(3);
    expect(client.status).toBe("ready");
    client.close();
    expect(es.closed).toBe(true);
  });

  it("falls back to polling when the stream is refused, and polls when none is offered", async () => {
    vi.useFakeTimers();
    const state = { on: true };
    const { requests } = server(state);
    const client = createBrowserClient({ ...base, context: { targetingKey: "u1" }, pollIntervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    FakeEventSource.last.fail(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    state.on = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(3);
    expect(client.getValue("checkout", true)).toBe(false);
    expect(FakeEventSource.instances).toHaveLength(1);
    client.close();

    const polled = fakeFetch(() => json(bulk(true), '"x"')).requests;
    const plain = createBrowserClient({ ...base, context: { targetingKey: "u1" }, pollIntervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(polled).toHaveLength(3);
    expect(FakeEventSource.instances).toHaveLength(1);
    plain.close();
  });

  it("does not stream with streaming off, and reconnects and revalidates when the page is shown again", async () => {
    vi.useFakeTimers();
    const state = { on: true };
    const offRequests = server(state).requests;
    const off = createBrowserClient({ ...base, streaming: false, pollIntervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(offRequests).toHaveLength(2); // the first fetch, then one poll
    expect(FakeEventSource.instances).toHaveLength(0);
    off.close();

    const { requests } = server(state);
    const client = createBrowserClient({ ...base, context: { targetingKey: "u1" } });
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeEventSource.last;
    setVisibility("hidden");
    expect(first.closed).toBe(true);
    state.on = false;
    setVisibility("visible");
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.last.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getValue("checkout", true)).toBe(false);
    expect(requests).toHaveLength(2); // the first fetch, then the revalidation on reconnect
    client.close();
  });
});
