import { SHADOW_LATENCY_BUCKETS_MS } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, json, read, type TestServer } from "../../test/harness.js";
import { sdkServicesFor } from "../sdk/services.js";
import { COARSE_LATENCY_BUCKETS_MS, FINE_LATENCY_BUCKETS_MS } from "./latency-buckets.js";
import { MAX_SAMPLES_KEPT, SAMPLE_PREVIEW_CHARS, SAMPLE_VALUE_CHARS } from "./samples.js";
import { percentileMs } from "./summary.js";

let t: TestServer;
let serverKey: string;
let clock = new Date("2026-03-02T10:00:30Z");
beforeAll(async () => {
  t = await createTestServer({ seedDemo: true, now: () => clock });
  serverKey = await t.createKey("server", "staging");
});
afterAll(() => t.close());

const histogram = (bucket: number, count: number) => {
  const h = Array.from({ length: SHADOW_LATENCY_BUCKETS_MS.length + 1 }, () => 0);
  h[bucket] = count;
  return h;
};
const flagReport = (extra: Record<string, unknown> = {}) => ({
  calls: 100,
  shadowed: 10,
  matches: 9,
  mismatches: 1,
  candidateErrors: 0,
  controlErrors: 0,
  timeouts: 0,
  skipped: 0,
  controlLatency: histogram(3, 10), // ≤ 1 ms
  candidateLatency: histogram(5, 10), // ≤ 5 ms
  samples: [{ control: { total: 10 }, candidate: { total: 11 }, at: 1 }],
  ...extra,
});
const report = (flags: Record<string, unknown>) => ({
  instanceId: "i-1",
  sdk: "sdk-node/0.1.0",
  start: 0,
  end: 1,
  flags,
});

describe("shadow reports", () => {
  it("are summed per flag and read back as rates, latency percentiles and samples", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.request(
        "/sdk/v1/shadow",
        json("POST", report({ "new-checkout": flagReport() }), { authorization: serverKey }),
      );
      expect(res.status).toBe(202);
    }
    await sdkServicesFor(t.deps).shadow.flush();
    const res = await t.request("/api/v1/environments/staging/flags/new-checkout/shadow", {
      headers: t.auth(),
    });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.totals).toMatchObject({
      calls: 200,
      shadowed: 20,
      matches: 18,
      mismatches: 2,
      mismatchRate: 0.1,
      errorRate: 0,
    });
    expect(body.totals.latencyMs).toEqual({ control: { p50: 1, p95: 1 }, candidate: { p50: 5, p95: 5 } });
    expect(body.series).toHaveLength(1);
    expect(body.samples[0]).toMatchObject({ control: { total: 10 }, candidate: { total: 11 } });
  });

  it("refuse client keys, and name the field of a bad report", async () => {
    const clientKey = await t.createKey("client", "staging");
    expect(
      (await t.request("/sdk/v1/shadow", json("POST", report({}), { authorization: clientKey }))).status,
    ).toBe(403);
    const bad = await t.request(
      "/sdk/v1/shadow",
      json("POST", report({ f: flagReport({ controlLatency: [1] }) }), { authorization: serverKey }),
    );
    expect(bad.status).toBe(400);
    expect((await read(bad)).errors[0].path).toBe("flags.f.controlLatency");
    const window = await t.request("/api/v1/environments/staging/flags/new-checkout/shadow?windowMinutes=0", {
      headers: t.auth(),
    });
    expect(window.status).toBe(400);
  });

  it("keep the counts of a report whose mismatch samples are too big or too many, truncating the samples", async () => {
    const huge = { lines: Array.from({ length: 5_000 }, (_, i) => ({ sku: `sku-${i}`, price: i })) };
    const samples = [
      { control: huge, candidate: { lines: [] }, at: 2_000 },
      "not a sample",
      ...Array.from({ length: 60 }, (_, i) => ({ control: i, candidate: i + 1, at: 1_000 + i })),
    ];
    const res = await t.request(
      "/sdk/v1/shadow",
      json("POST", report({ "search-ranking": flagReport({ samples }) }), { authorization: serverKey }),
    );
    expect(res.status).toBe(202);
    await sdkServicesFor(t.deps).shadow.flush();
    const body = await read(
      await t.request("/api/v1/environments/staging/flags/search-ranking/shadow", { headers: t.auth() }),
    );
    expect(body.totals).toMatchObject({ calls: 100, shadowed: 10, matches: 9, mismatches: 1 });
    expect(body.samples.length).toBeLessThanOrEqual(MAX_SAMPLES_KEPT);
    const big = body.samples.find((s: { at: number }) => s.at === 2_000);
    expect(big.candidate).toEqual({ lines: [] });
    expect(big.control).toMatchObject({ truncated: true, bytes: JSON.stringify(huge).length });
    expect(big.control.preview).toBe(JSON.stringify(huge).slice(0, SAMPLE_PREVIEW_CHARS));
    expect(JSON.stringify(big).length).toBeLessThan(SAMPLE_VALUE_CHARS * 2);
  });

  it("are read per time window: error rate and p50/p95 of both paths for each window, so they can be charted", async () => {
    const fine = (at: Record<number, number>) =>
      Array.from({ length: FINE_LATENCY_BUCKETS_MS.length + 1 }, (_, i) => at[i] ?? 0);
    const bucketOf = (ms: number) => FINE_LATENCY_BUCKETS_MS.indexOf(ms);
    const post = (flags: Record<string, unknown>) =>
      t.request("/sdk/v1/shadow", json("POST", report(flags), { authorization: serverKey }));
    // 10:01 — healthy: both paths at 11.2 ms, no errors.
    clock = new Date("2026-03-02T10:01:00Z");
    await post({
      "banner-text": flagReport({
        shadowed: 100,
        matches: 100,
        mismatches: 0,
        controlLatency: fine({ [bucketOf(11.2)]: 100 }),
        candidateLatency: fine({ [bucketOf(11.2)]: 100 }),
      }),
    });
    // 10:07 — the candidate fails 4 of 40 calls and its p95 moves to 22.4 ms; an instance still on the
    // coarse scale reports in the same minute and is summed in on that scale.
    clock = new Date("2026-03-02T10:07:00Z");
    await post({
      "banner-text": flagReport({
        shadowed: 40,
        matches: 36,
        mismatches: 0,
        candidateErrors: 4,
        controlLatency: fine({ [bucketOf(11.2)]: 40 }),
        candidateLatency: fine({ [bucketOf(11.2)]: 30, [bucketOf(22.4)]: 10 }),
      }),
    });
    await sdkServicesFor(t.deps).shadow.flush();
    const res = await t.request(
      "/api/v1/environments/staging/flags/banner-text/shadow?from=2026-03-02T10:00:00Z&to=2026-03-02T10:10:00Z&windowMinutes=5",
      { headers: t.auth() },
    );
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.windowMinutes).toBe(5);
    expect(body.series.map((w: { at: string }) => w.at)).toEqual([
      "2026-03-02T10:00:00.000Z",
      "2026-03-02T10:05:00.000Z",
    ]);
    expect(body.series[0]).toMatchObject({
      shadowed: 100,
      errorRate: 0,
      latencyMs: { control: { p50: 11.2, p95: 11.2 }, candidate: { p50: 11.2, p95: 11.2 } },
    });
    expect(body.series[1]).toMatchObject({
      shadowed: 40,
      errorRate: 0.1,
      latencyMs: { control: { p50: 11.2, p95: 11.2 }, candidate: { p50: 11.2, p95: 22.4 } },
    });

    clock = new Date("2026-03-02T10:07:30Z");
    await post({ "banner-text": flagReport() }); // coarse: control ≤ 1 ms, candidate ≤ 5 ms
    await sdkServicesFor(t.deps).shadow.flush();
    const mixed = await read(
      await t.request(
        "/api/v1/environments/staging/flags/banner-text/shadow?from=2026-03-02T10:05:00Z&to=2026-03-02T10:10:00Z",
        { headers: t.auth() },
      ),
    );
    expect(mixed.totals.shadowed).toBe(50);
    // 11.2 and 22.4 ms fold into the coarse (10, 25] bucket.
    expect(mixed.totals.latencyMs.candidate.p95).toBe(25);
    expect(COARSE_LATENCY_BUCKETS_MS.every((edge) => FINE_LATENCY_BUCKETS_MS.includes(edge))).toBe(true);
  });

  it("are in the OpenAPI document, ingestion and the windowed read", async () => {
    const spec = await read(await t.request("/api/openapi.json"));
    expect(spec.paths["/sdk/v1/shadow"].post).toBeDefined();
    const get = spec.paths["/api/v1/environments/{env}/flags/{flag}/shadow"].get;
    expect(get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["env", "flag", "from", "to", "windowMinutes"]),
    );
    expect(spec.components.schemas.ShadowWindowStats.properties).toHaveProperty("errorRate");
  });

  it("percentiles come from the histogram's bucket bounds; overflow is unbounded (null)", () => {
    expect(percentileMs(histogram(0, 0), 50)).toBeNull();
    expect(percentileMs([5, 5, ...histogram(0, 0).slice(2)], 50)).toBe(0.1);
    expect(percentileMs(histogram(SHADOW_LATENCY_BUCKETS_MS.length, 3), 95)).toBeNull();
  });
});
