import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import type { Flag, Ruleset, ShadowRule } from "@switchyard/core";
import { Hono } from "hono";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, type SwitchyardClient } from "../client/switchyard-client.js";
import { mirrorMiddleware, mirrorRequests, SHADOW_HEADER } from "./mirror.js";
import type { FlagShadowStats } from "./stats.js";

/** The new service, on loopback: answers per path, records what it received. */
let upstream: Server;
let upstreamUrl = "";
const received: { method: string; url: string; body: string; shadow: string | undefined }[] = [];
const routes: Record<string, (res: ServerResponse, body: string) => void> = {
  "/price": (res) => json(res, 200, { total: 10, currency: "EUR" }),
  "/api/price": (res, body) => json(res, 200, { total: 10, currency: "EUR", echoed: body || undefined }),
  "/api/price-gzip": (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipSync(JSON.stringify({ total: 10, currency: "EUR" })));
  },
  "/price-reordered": (res) => json(res, 200, { currency: "EUR", total: 10 }),
  "/price-wrong": (res) => json(res, 200, { total: 11, currency: "EUR" }),
  "/missing": (res) => json(res, 404, { error: "nope" }),
  "/hang": () => {},
};
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body,
        shadow: req.headers[SHADOW_HEADER] as string | undefined,
      });
      const route = routes[(req.url ?? "").split("?")[0] as string];
      if (route) route(res, body);
      else json(res, 500, { error: "no route" });
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => {
  upstream.closeAllConnections();
  upstream.close();
});

/** The old code: a fetch handler answering the same paths in-process. */
const oldHandler = async (request: Request): Promise<Response> => {
  const body = request.method === "POST" ? await request.text() : "";
  return Response.json({ total: 10, currency: "EUR", echoed: body || undefined });
};

function clientWith(shadow: Partial<ShadowRule>, extra: Partial<Flag> = {}) {
  const flag: Flag = {
    key: "pricing-service",
    kind: "boolean",
    variations: [
      { key: "old", value: false },
      { key: "new", value: true },
    ],
    version: 1,
    salt: "pricing-service",
    on: true,
    offVariation: "old",
    fallthrough: { variation: "old" },
    // Generous: under load a first fetch can take a while, and timeouts have a test of their own.
    shadow: {
      sampleRate: 100_000,
      stickiness: "call",
      timeoutMs: 5_000,
      candidateVariation: "new",
      ...shadow,
    },
    ...extra,
  };
  const bootstrap: Ruleset = {
    formatVersion: 1,
    environment: "test",
    version: 1,
    flags: [flag],
    segments: [],
  };
  return createClient({ url: "http://127.0.0.1:9", sdkKey: "mirror-test", offline: true, bootstrap });
}

let client: SwitchyardClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  received.length = 0;
});

/** Takes the flag's statistics until the run is decided (match, mismatch, error or timeout). */
async function decided(c: SwitchyardClient): Promise<FlagShadowStats> {
  let total: FlagShadowStats | undefined;
  await vi.waitFor(
    () => {
      const s = c.takeShadowStats()["pricing-service"];
      if (s) {
        if (!total) total = s;
        else
          for (const k of [
            "calls",
            "shadowed",
            "matches",
            "mismatches",
            "candidateErrors",
            "timeouts",
          ] as const)
            total[k] += s[k];
        if (s.samples.length) total.samples = s.samples;
      }
      const t = total;
      expect(t && t.matches + t.mismatches + t.candidateErrors + t.timeouts).toBeGreaterThan(0);
    },
    { timeout: 3000, interval: 10 },
  );
  return total as FlagShadowStats;
}

/** The old handler behind a mirror to the new service; requests go to `path` on both. */
const mirrored = (c: SwitchyardClient, path: string) => (init?: RequestInit) =>
  mirrorRequests(c, { flag: "pricing-service", upstream: upstreamUrl })(oldHandler)(
    new Request(`http://app.local${path}`, init),
  );

describe("mirrorRequests", () => {
  it("answers with the old handler and mirrors the request, body and marker included", async () => {
    client = clientWith({});
    const serve = mirrorRequests(client, {
      flag: "pricing-service",
      upstream: (req) => `${upstreamUrl}/price${new URL(req.url).search}`,
    })(async () => Response.json({ total: 10, currency: "EUR" }));
    const res = await serve(
      new Request("http://app.local/checkout?cart=7", { method: "POST", body: "items=3" }),
    );
    expect(await res.json()).toEqual({ total: 10, currency: "EUR" });
    const stats = await decided(client);
    expect(stats).toMatchObject({ calls: 1, shadowed: 1, matches: 1, mismatches: 0 });
    expect(received).toEqual([{ method: "POST", url: "/price?cart=7", body: "items=3", shadow: "1" }]);
  });

  it("compares JSON as values: key order is not a mismatch", async () => {
    client = clientWith({});
    const serve = mirrorRequests(client, {
      flag: "pricing-service",
      upstream: upstreamUrl,
    })(async () => Response.json({ total: 10, currency: "EUR" }));
    await serve(new Request("http://app.local/price-reordered"));
    expect(await decided(client)).toMatchObject({ matches: 1 });
  });

  it("counts a different body or status as a mismatch with both sides sampled", async () => {
    client = clientWith({});
    const res = await mirrored(client, "/price-wrong")();
    expect(await res.json()).toEqual({ total: 10, currency: "EUR" });
    const stats = await decided(client);
    expect(stats.mismatches).toBe(1);
    expect(stats.samples[0]).toMatchObject({
      control: { status: 200, body: JSON.stringify({ total: 10, currency: "EUR" }) },
      candidate: { status: 200, body: JSON.stringify({ total: 11, currency: "EUR" }) },
    });

    await mirrored(client, "/missing")();
    expect(await decided(client)).toMatchObject({ mismatches: 1 });
  });

  it("does not wait for a hanging upstream and counts the timeout", async () => {
    client = clientWith({ timeoutMs: 600 });
    const started = performance.now();
    const res = await mirrored(client, "/hang")();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    expect(await decided(client)).toMatchObject({ timeouts: 1, matches: 0 });
  });

  it("counts an unreachable upstream as a candidate error, never the caller's", async () => {
    client = clientWith({});
    const serve = mirrorRequests(client, { flag: "pricing-service", upstream: "http://127.0.0.1:9" })(
      oldHandler,
    );
    const res = await serve(new Request("http://app.local/"));
    expect(res.status).toBe(200);
    expect(await decided(client)).toMatchObject({ candidateErrors: 1 });
  });

  it("does not touch the upstream when the call is not sampled", async () => {
    client = clientWith({ sampleRate: 0 });
    const res = await mirrored(client, "/price")();
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 30));
    expect(received).toEqual([]);
    expect(client.takeShadowStats()["pricing-service"]).toMatchObject({ calls: 1, shadowed: 0 });
  });

  it("never mirrors a request that is a shadow run already (no loop between two mirrors)", async () => {
    client = clientWith({});
    const res = await mirrored(client, "/price")({ headers: { [SHADOW_HEADER]: "1" } });
    expect(await res.json()).toEqual({ total: 10, currency: "EUR" });
    expect(received).toEqual([]);
    expect(client.takeShadowStats()["pricing-service"]).toBeUndefined();
  });

  it("proxies users the flag serves the new code to, for real", async () => {
    client = clientWith({ sampleRate: 0 }, { fallthrough: { variation: "new" } });
    const res = await mirrored(client, "/price-wrong")();
    expect(await res.json()).toEqual({ total: 11, currency: "EUR" });
    expect(received).toHaveLength(1);
    expect(received[0]?.shadow).toBeUndefined();
  });
});

describe("mirrorMiddleware in a real Hono app", () => {
  /** The app as a team has it: the old code in its routes, the mirror in front of them. */
  function app(c: SwitchyardClient) {
    const seenByOld: string[] = [];
    const hono = new Hono();
    hono.use(
      "/api/*",
      mirrorMiddleware(c, {
        app: hono,
        flag: "pricing-service",
        upstream: upstreamUrl,
        context: (req) => ({ targetingKey: req.headers.get("x-user") ?? "anonymous" }),
      }),
    );
    hono.get("/api/price", (ctx) => {
      seenByOld.push("GET");
      return ctx.json({ total: 10, currency: "EUR" });
    });
    hono.post("/api/price", async (ctx) => {
      const body = await ctx.req.text();
      seenByOld.push(`POST ${body}`);
      return ctx.json({ total: 10, currency: "EUR", echoed: body });
    });
    return { hono, seenByOld };
  }
  const pilots = { targets: [{ variation: "new", values: ["pilot"] }] };

  it("serves everyone else the old routes and mirrors GET and POST, bodies intact on both sides", async () => {
    client = clientWith({});
    const { hono, seenByOld } = app(client);
    const get = await hono.request("/api/price", { headers: { "x-user": "someone" } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ total: 10, currency: "EUR" });
    expect(await decided(client)).toMatchObject({ shadowed: 1, matches: 1 });
    const post = await hono.request("/api/price", {
      method: "POST",
      body: "items=3",
      headers: { "x-user": "someone" },
    });
    expect(await post.json()).toEqual({ total: 10, currency: "EUR", echoed: "items=3" });
    expect(await decided(client)).toMatchObject({ shadowed: 1, matches: 1 });
    expect(seenByOld).toEqual(["GET", "POST items=3"]);
    expect(received.map((r) => [r.method, r.body, r.shadow])).toEqual([
      ["GET", "", "1"],
      ["POST", "items=3", "1"],
    ]);
  });

  it("with swapRoles serves a pilot the new service's response, the old route running in its shadow", async () => {
    client = clientWith({ swapRoles: true }, pilots);
    const { hono, seenByOld } = app(client);
    const get = await hono.request("/api/price", { headers: { "x-user": "pilot" } });
    expect(get.status).toBe(200);
    expect(get.bodyUsed).toBe(false);
    expect(await get.json()).toEqual({ total: 10, currency: "EUR" });
    expect(await decided(client)).toMatchObject({ shadowed: 1, matches: 1 });

    const post = await hono.request("/api/price", {
      method: "POST",
      body: "items=4",
      headers: { "x-user": "pilot" },
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ total: 10, currency: "EUR", echoed: "items=4" });
    expect(await decided(client)).toMatchObject({ shadowed: 1, matches: 1 });
    // The new service answered for real (no shadow marker); the old route saw the body too, as the shadow.
    expect(received.map((r) => [r.method, r.body, r.shadow])).toEqual([
      ["GET", "", undefined],
      ["POST", "items=4", undefined],
    ]);
    expect(seenByOld).toEqual(["GET", "POST items=4"]);
  });

  it("proxies a pilot's response without a content-encoding its decoded body no longer has", async () => {
    client = clientWith({ sampleRate: 0 }, pilots);
    const { hono } = app(client);
    const res = await hono.request("/api/price-gzip", { headers: { "x-user": "pilot" } });
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(await res.json()).toEqual({ total: 10, currency: "EUR" });
  });
});
