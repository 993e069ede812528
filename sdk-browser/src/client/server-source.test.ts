// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../../test/support/fake-event-source.js";
import { fakeFetch, json, settle } from "../../test/support/fake-server.js";
import { createBrowserClient } from "./create-client.js";
import { createServerSource } from "./server-source.js";

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

  it("starts from the values cached for the same targeting key", async () => {
    fakeFetch(() => json(bulk(true), '"a"'));
    const first = createBrowserClient({ ...base, context: { targetingKey: "u1" } });
    await first.ready();
    first.close();

    const { requests } = fakeFetch(() => new Promise(() => {}));
    const same = createBrowserClient({ ...base, context: { targetingKey: "u1" } });
    expect(same.getValue("checkout", false)).toBe(true);
    await settle();
    expect(requests[0]!.headers["if-none-match"]).toBe('"a"');
    same.close();

    const other = createBrowserClient({ ...base, context: { targetingKey: "u9" } });
    expect(other.getDetail("checkout", false).errorCode).toBe("PROVIDER_NOT_READY");
    other.close();
  });
});
