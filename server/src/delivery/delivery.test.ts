import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { sdkServicesFor } from "../sdk/services.js";

let t: TestServer;
let serverKey: string;
let clock = new Date();

beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => clock });
  serverKey = await t.createKey("server", "production");
});
afterAll(() => t.close());

const ack = (instanceId: string, version: number) =>
  t.request(
    "/sdk/v1/ack",
    json("POST", { instanceId, sdk: "sdk-node/0.1.0", acks: [{ version }] }, { authorization: serverKey }),
  );

describe("GET /api/v1/environments/{env}/delivery", () => {
  it("counts which live instances applied a kill, how fast, and names the ones that have not", async () => {
    const before = t.deps.rulesets.server("production")?.version as number;
    for (const id of ["a", "b", "c"]) expect((await ack(id, before)).status).toBe(202);
    await sdkServicesFor(t.deps).acks.flush();

    const kill = await t.request(
      "/api/v1/environments/production/flags/new-checkout/kill",
      json("POST", { reason: "pager 17" }, t.auth()),
    );
    const version = (await read(kill)).rulesetVersions.production as number;
    const change = await t.deps.db
      .selectFrom("ruleset_changes")
      .select("committed_at")
      .where("environment_key", "=", "production")
      .where("version", "=", version)
      .executeTakeFirstOrThrow();
    clock = new Date(new Date(change.committed_at).getTime() + 12);
    await ack("a", version);
    clock = new Date(new Date(change.committed_at).getTime() + 40);
    await ack("b", version);
    await sdkServicesFor(t.deps).acks.flush();

    const res = await t.request("/api/v1/environments/production/delivery", { headers: t.auth() });
    expect(res.status).toBe(200);
    const status = await read(res);
    expect(status).toMatchObject({
      version,
      instances: {
        total: 3,
        acknowledged: 2,
        pending: [expect.objectContaining({ instanceId: "c", version: before })],
      },
      latencyMs: { median: 12, max: 40 },
    });
  });

  it("forgets instances not seen for a minute", async () => {
    clock = new Date(clock.getTime() + 61_000);
    const status = await read(
      await t.request("/api/v1/environments/production/delivery", { headers: t.auth() }),
    );
    expect(status.instances.total).toBe(0);
  });

  it("refuses SDK keys, and bad versions with problem+json", async () => {
    expect(
      (await t.request("/api/v1/environments/production/delivery", { headers: { authorization: serverKey } }))
        .status,
    ).toBe(403);
    const bad = await t.request("/api/v1/environments/production/delivery?version=abc", {
      headers: t.auth(),
    });
    expect(bad.status).toBe(400);
    expect((await read(bad)).errors[0].path).toBe("version");
    expect((await t.request("/api/v1/environments/nope/delivery", { headers: t.auth() })).status).toBe(404);
  });
});

describe("usage and /metrics", () => {
  it("reports hourly counts per variant and last evaluated", async () => {
    const report = {
      instanceId: "u",
      sdk: "x",
      start: 0,
      end: 1,
      evaluations: [{ flag: "banner-text", variant: "a", count: 4 }],
    };
    expect(
      (await t.request("/sdk/v1/metrics", json("POST", report, { authorization: serverKey }))).status,
    ).toBe(202);
    await sdkServicesFor(t.deps).usage.flush();
    const usage = await read(await t.request("/api/v1/flags/banner-text/usage", { headers: t.auth() }));
    expect(usage.series).toEqual([
      expect.objectContaining({ environment: "production", variant: "a", count: 4 }),
    ]);
    expect(usage.lastEvaluated.production).toBeDefined();
    expect((await t.request("/api/v1/flags/nope/usage", { headers: t.auth() })).status).toBe(404);
  });

  it("exposes Prometheus metrics", async () => {
    const text = await (await t.request("/metrics")).text();
    expect(text).toContain("switchyard_http_requests_total{");
    expect(text).toMatch(/switchyard_ruleset_version\{environment="production"\} \d+/);
    expect(text).toContain('route="/sdk/v1/metrics"');
    expect(text).toMatch(/switchyard_evaluations_ingested_total \d+/);
  });
});
