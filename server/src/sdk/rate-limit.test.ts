import { Hono } from "hono";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../test/harness.js";
import { handleError } from "../problem/respond.js";
import type { SdkEnv, SdkKey } from "./auth.js";
import { rateLimit } from "./rate-limit.js";

/** Requests from `addresses` in turn (as X-Forwarded-For) until one is refused; how many got through. */
async function servedBefore429(t: TestServer, secret: string, addresses: string[]): Promise<number> {
  for (let i = 0; i < 1000; i++) {
    const res = await t.request("/sdk/v1/client/ruleset", {
      headers: { authorization: secret, "x-forwarded-for": addresses[i % addresses.length] as string },
    });
    if (res.status === 429) return i;
  }
  return 1000;
}

describe("client rate limits and X-Forwarded-For", () => {
  let direct: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    [direct, proxied] = await Promise.all([
      createTestServer({ seedDemo: true }),
      createTestServer({ seedDemo: true, trustProxy: true }),
    ]);
  });
  afterAll(() => Promise.all([direct.close(), proxied.close()]));

  it("ignores the header without TRUST_PROXY: forged addresses share the caller's bucket", async () => {
    const key = await direct.createKey("client", "staging");
    const one = await servedBefore429(direct, key, ["10.0.0.1"]);
    const fresh = await direct.createKey("client", "staging");
    const forged = await servedBefore429(direct, fresh, ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]);
    expect(one).toBeLessThan(1000);
    // The bucket refills at 50/s while the loop runs: a few more, never four buckets.
    expect(forged).toBeLessThan(one + 10);
  });

  it("with TRUST_PROXY, each forwarded address has its own bucket", async () => {
    const key = await proxied.createKey("client", "staging");
    const one = await servedBefore429(proxied, key, ["10.0.0.1"]);
    const fresh = await proxied.createKey("client", "staging");
    const four = await servedBefore429(proxied, fresh, ["10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4"]);
    expect(four).toBeGreaterThan(one * 3);
  });
});

describe("rate limit buckets", () => {
  it("are an LRU of bounded size: the least recently used caller is forgotten, not everyone", async () => {
    const app = new Hono<SdkEnv>();
    app.onError(handleError(pino({ level: "silent" })));
    app.use("*", async (c, next) => {
      c.set("sdkKey", { id: Number(c.req.header("x-key")), kind: "server" } as SdkKey);
      await next();
    });
    const t0 = 0;
    app.get(
      "/",
      rateLimit({ limits: { serverPerSecond: 1, clientPerSecond: 1 }, now: () => t0, maxBuckets: 2 }),
      (c) => c.text("ok"),
    );
    const hit = async (key: number) => (await app.request("/", { headers: { "x-key": String(key) } })).status;
    // Burst of 2 each: keys 1 and 2 use theirs up.
    expect([await hit(1), await hit(1), await hit(1)]).toEqual([200, 200, 429]);
    expect([await hit(2), await hit(2), await hit(2)]).toEqual([200, 200, 429]);
    // Key 3 evicts key 1 (least recently used); key 2 stays limited.
    expect(await hit(3)).toBe(200);
    expect(await hit(2)).toBe(429);
    expect(await hit(1)).toBe(200);
  });
});
