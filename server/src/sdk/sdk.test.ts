import { compileRuleset, evaluate, type Ruleset } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { sdkServicesFor } from "./services.js";

let t: TestServer;
let stagingServer: string;
let stagingClient: string;
let productionServer: string;

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true });
  stagingServer = await t.createKey("server", "staging");
  stagingClient = await t.createKey("client", "staging");
  productionServer = await t.createKey("server", "production");
});
afterAll(() => t.close());

const key = (secret: string, extra: Record<string, string> = {}) => ({
  headers: { authorization: secret, ...extra },
});

/** Reads SSE events from a streaming response until `count` events have arrived. */
async function readEvents(
  res: Response,
  count: number,
): Promise<{ event: string; id?: string; data: unknown }[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; id?: string; data: unknown }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string | undefined> = Object.fromEntries(
        block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
      );
      events.push({ event: fields.event ?? "", id: fields.id, data: JSON.parse(fields.data ?? "null") });
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}

async function flip(env: string, flag: string, on: boolean): Promise<number> {
  const res = await t.request(
    `/api/v1/environments/${env}/flags/${flag}`,
    json("PATCH", { on }, { ...t.auth(), "if-match": "*" }),
  );
  expect(res.status).toBe(200);
  const version = (await read(res)).rulesetVersions[env] as number;
  await t.deps.rulesets.waitForVersion(env, version);
  return version;
}

describe("GET /sdk/v1/ruleset", () => {
  it("serves the environment's full ruleset with an ETag, and 304 for that ETag", async () => {
    const res = await t.request("/sdk/v1/ruleset", key(stagingServer));
    expect(res.status).toBe(200);
    const ruleset = (await res.json()) as Ruleset;
    expect(ruleset.environment).toBe("staging");
    expect(ruleset.flags.map((f) => f.key)).toContain("new-checkout");
    expect(compileRuleset(ruleset).ok).toBe(true);
    const etag = res.headers.get("etag") as string;
    const again = await t.request("/sdk/v1/ruleset", key(stagingServer, { "if-none-match": etag }));
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
  });

  it("gzips from the prebuilt buffer when the SDK accepts it", async () => {
    const res = await t.request("/sdk/v1/ruleset", key(stagingServer, { "accept-encoding": "gzip" }));
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const text = await new Response(res.body?.pipeThrough(new DecompressionStream("gzip"))).text();
    expect(JSON.parse(text).environment).toBe("staging");
  });

  it("is scoped: a key of staging reads staging, production reads production", async () => {
    const prod = (await (await t.request("/sdk/v1/ruleset", key(productionServer))).json()) as Ruleset;
    expect(prod.environment).toBe("production");
  });

  it("refuses client keys, admin tokens, bad and revoked keys", async () => {
    expect((await t.request("/sdk/v1/ruleset", key(stagingClient))).status).toBe(403);
    expect((await t.request("/sdk/v1/ruleset", key(t.adminToken))).status).toBe(403);
    expect((await t.request("/sdk/v1/ruleset", key("sy_server_nope"))).status).toBe(401);
    expect((await t.request("/sdk/v1/ruleset")).status).toBe(401);
    const doomed = await t.createKey("server", "staging");
    const list = await read(await t.request("/api/v1/keys", { headers: t.auth() }));
    const id = (list.keys ?? list).find((k: { prefix: string }) => doomed.startsWith(k.prefix)).id;
    expect(
      (await t.request(`/api/v1/keys/${id}`, { method: "DELETE", headers: t.auth() })).status,
    ).toBeLessThan(300);
    const res = await t.request("/sdk/v1/ruleset", key(doomed));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("a server key cannot use the admin API", async () => {
    expect((await t.request("/api/v1/flags", key(stagingServer))).status).toBe(403);
  });
});

describe("client (browser) endpoints", () => {
  it("serve only client-visible flags and never raw pilot-user keys", async () => {
    const full = (await (await t.request("/sdk/v1/ruleset", key(stagingServer))).json()) as Ruleset;
    const res = await t.request("/sdk/v1/client/ruleset", key(stagingClient));
    expect(res.status).toBe(200);
    const browser = (await res.json()) as Ruleset;
    expect(browser.keyHashing?.algorithm).toBe("murmur3x2-64");
    expect(browser.flags.every((f) => f.clientVisible)).toBe(true);
    expect(browser.flags.length).toBeLessThan(full.flags.length);
    const rawKeys = full.segments.flatMap((s) => s.included ?? []);
    expect(rawKeys.length).toBeGreaterThan(0);
    const text = JSON.stringify(browser);
    for (const raw of rawKeys) expect(text).not.toContain(`"${raw}"`);
  });

  it("accept the client key in the query string (EventSource cannot set headers)", async () => {
    expect((await t.request(`/sdk/v1/client/ruleset?key=${stagingClient}`)).status).toBe(200);
    expect((await t.request(`/sdk/v1/ruleset?key=${stagingServer}`)).status).toBe(403);
  });

  it("evaluate client-visible flags for a posted context", async () => {
    const res = await t.request(
      "/sdk/v1/client/evaluate",
      json("POST", { context: { targetingKey: "u-1" } }, { authorization: stagingClient }),
    );
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.environment).toBe("staging");
    for (const d of Object.values(body.flags) as { reason: string }[]) expect(d.reason).toBeTypeOf("string");
  });

  it("answer CORS for the environment's allowed origins only", async () => {
    const pre = await t.request("/sdk/v1/client/ruleset", {
      method: "OPTIONS",
      headers: { origin: "https://app.example" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toContain("Authorization");
    const patched = await t.request(
      "/api/v1/environments/staging",
      json("PATCH", { corsOrigins: ["https://app.example"] }, { ...t.auth(), "if-match": "*" }),
    );
    expect(patched.status).toBe(200);
    const allowed = await t.request(
      "/sdk/v1/client/ruleset",
      key(stagingClient, { origin: "https://app.example" }),
    );
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await t.request(
      "/sdk/v1/client/ruleset",
      key(stagingClient, { origin: "https://evil.example" }),
    );
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("rate-limit a client key per caller with 429 and Retry-After", async () => {
    const headers = { authorization: stagingClient, "x-forwarded-for": "203.0.113.9" };
    let limited: Response | undefined;
    for (let i = 0; i < 500 && !limited; i++) {
      const res = await t.request("/sdk/v1/client/ruleset", { headers });
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited?.headers.get("content-type")).toContain("application/problem+json");
    // Per caller address: X-Forwarded-For counts only with TRUST_PROXY (rate-limit.test.ts).
  });
});

describe("GET /sdk/v1/stream", () => {
  it("sends the ruleset on connect, then a delta for each change", async () => {
    const res = await t.request("/sdk/v1/stream", key(stagingServer, { "x-switchyard-instance": "i-1" }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = readEvents(res, 2);
    const version = await flip("staging", "new-checkout", false);
    const [put, patch] = await events;
    expect(put?.event).toBe("put");
    expect(patch).toMatchObject({ event: "patch", id: String(version) });
    const delta = patch?.data as {
      fromVersion: number;
      version: number;
      flags: { upsert: { key: string; on: boolean }[] };
    };
    expect(delta.version).toBe(version);
    expect(delta.flags.upsert).toEqual([expect.objectContaining({ key: "new-checkout", on: false })]);
  });

  it("resumes from Last-Event-ID with only what changed since", async () => {
    const from = t.deps.rulesets.server("staging")?.version as number;
    await flip("staging", "new-checkout", true);
    const to = await flip("staging", "banner-text", true);
    const res = await t.request("/sdk/v1/stream", key(stagingServer, { "last-event-id": String(from) }));
    const [first] = await readEvents(res, 1);
    expect(first?.event).toBe("patch");
    expect(first?.data).toMatchObject({ fromVersion: from, version: to });
    const current = await t.request("/sdk/v1/stream", key(stagingServer, { "last-event-id": String(to) }));
    expect((await readEvents(current, 1))[0]?.event).toBe("ping");
    const ancient = await t.request("/sdk/v1/stream", key(stagingServer, { "last-event-id": "0" }));
    expect((await readEvents(ancient, 1))[0]?.event).toBe("put");
  });

  it("gives client keys the browser-safe ruleset and deltas", async () => {
    const res = await t.request(`/sdk/v1/stream?key=${stagingClient}`);
    const [put] = await readEvents(res, 1);
    expect((put?.data as Ruleset | undefined)?.keyHashing).toBeDefined();
  });

  it("a killed flag evaluates to its off variation from the delta alone", async () => {
    const before = t.deps.rulesets.server("staging")?.ruleset as Ruleset;
    const res = await t.request(
      "/sdk/v1/stream",
      key(stagingServer, { "last-event-id": String(before.version) }),
    );
    const events = readEvents(res, 2);
    const kill = await t.request(
      "/api/v1/environments/staging/flags/new-checkout/kill",
      json("POST", { reason: "incident 42" }, t.auth()),
    );
    expect(kill.status).toBe(200);
    const [, patch] = await events;
    const { applyDelta } = await import("@switchyard/core");
    const next = applyDelta(before, patch?.data as never) as Ruleset;
    const compiled = compileRuleset(next);
    expect(
      compiled.ok && evaluate(compiled.ruleset, "new-checkout", { targetingKey: "anyone" }, true).reason,
    ).toBe("DISABLED");
  });
});

describe("reports from SDKs", () => {
  it("aggregates evaluation counts per hour and records last evaluated", async () => {
    const report = {
      instanceId: "i-metrics",
      sdk: "sdk-node/0.1.0",
      start: Date.now() - 1000,
      end: Date.now(),
      evaluations: [
        { flag: "new-checkout", variant: "on", count: 3 },
        { flag: "new-checkout", variant: "on", count: 2 },
      ],
    };
    for (let i = 0; i < 2; i++) {
      const res = await t.request("/sdk/v1/metrics", json("POST", report, { authorization: stagingServer }));
      expect(res.status).toBe(202);
    }
    await sdkServicesFor(t.deps).usage.flush();
    const rows = await t.deps.db
      .selectFrom("evaluation_metrics")
      .selectAll()
      .where("flag_key", "=", "new-checkout")
      .execute();
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(10);
    const last = await t.deps.db
      .selectFrom("flag_last_evaluated")
      .selectAll()
      .where("environment_key", "=", "staging")
      .execute();
    expect(last.map((r) => r.flag_key)).toContain("new-checkout");
  });

  it("accepts acks as text/plain (sendBeacon) and keeps the highest version per instance", async () => {
    const body = (version: number) =>
      JSON.stringify({ instanceId: "i-ack", sdk: "sdk-browser/0.1.0", acks: [{ version }] });
    for (const v of [5, 7, 6]) {
      const res = await t.request(`/sdk/v1/ack?key=${stagingClient}`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: body(v),
      });
      expect(res.status).toBe(202);
      await sdkServicesFor(t.deps).acks.flush();
    }
    const row = await t.deps.db
      .selectFrom("sdk_instances")
      .selectAll()
      .where("instance_id", "=", "i-ack")
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(7);
  });

  it("answers bad reports with problem+json naming the field", async () => {
    const res = await t.request(
      "/sdk/v1/metrics",
      json("POST", { instanceId: "", evaluations: "x" }, { authorization: stagingServer }),
    );
    expect(res.status).toBe(400);
    const problem = await read(res);
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["instanceId", "evaluations"]),
    );
    const garbage = await t.request("/sdk/v1/ack", {
      method: "POST",
      headers: { authorization: stagingServer },
      body: "{nope",
    });
    expect(garbage.status).toBe(400);
  });
});
